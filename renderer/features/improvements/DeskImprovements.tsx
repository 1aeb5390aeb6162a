// The VOC desk's Improvements tab (VOC.md step 10): a department's improvements with their status and
// target date (overdue said), and the open one beside the list: its change, its linked VOC items,
// the moves this person may make (declining asks why), linking more of the desk's items, and once
// done the customers to tell, a card each like the happy calls, recorded as told by phone, SMS or email.
import { useState } from 'react';
import { IMPROVEMENT_NEXT, IMPROVEMENT_REASON_MAX, type ImprovementCustomer } from '../../../shared/api/improvements';
import { formatPhone } from '../../../shared/domain/phone';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { VocTypeBadge } from '../../components/VocTypeBadge';
import { formatDateTime } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';
import { selectDesk } from '../voc-desk/voc-desk-slice';
import { selectDepartmentsById } from '../voc/reference-slice';
import {
  declineCancelled,
  declineReasonChanged,
  declineStarted,
  deskTabChosen,
  improvementClosed,
  improvementLinkSubmitted,
  improvementOpened,
  improvementStatusAsked,
  improvementToldAsked,
  linkCancelled,
  linkStarted,
  linkToggled,
  selectImprovements,
} from './improvements-slice';
import { ImprovementLine } from './OpenImprovements';
import { useImprovementRights } from './rights';
import './improvements.css';

/** The ways a customer is told from the desk (a letter is recorded at the center too, but not offered here). */
const TELL_VIA = ['call', 'sms', 'email'] as const;

export function DeskTabs() {
  const t = useT();
  const dispatch = useAppDispatch();
  const tab = useAppSelector(selectImprovements).deskTab;
  return (
    <div className="desk-scopes" role="group" aria-label={t('improvement.tabs')}>
      {(['items', 'improvements'] as const).map((k) => (
        <button key={k} type="button" data-testid={`desk-tab-${k}`} aria-pressed={tab === k} onClick={() => dispatch(deskTabChosen(k))}>
          {t(k === 'items' ? 'improvement.tabItems' : 'improvement.tabImprovements')}
        </button>
      ))}
    </div>
  );
}

export function DeskImprovementList() {
  const t = useT();
  const dispatch = useAppDispatch();
  const rights = useImprovementRights();
  const departments = useAppSelector((s) => s.vocReference.departments);
  const names = useAppSelector(selectDepartmentsById);
  const { list, listStatus, listError, open } = useAppSelector(selectImprovements);
  const [department, setDepartment] = useState(rights.mine.size > 0 ? 'mine' : 'all');
  const shown = list.filter((m) => (department === 'mine' ? rights.mine.has(m.departmentId) : department === 'all' || m.departmentId === department));
  return (
    <div data-testid="desk-improvements">
      {(rights.readAll || rights.mine.size > 1) && (
        <div className="desk-filters">
          <label>
            {t('improvement.department')}
            <select data-testid="improvement-filter-department" value={department} onChange={(e) => setDepartment(e.target.value)}>
              {rights.mine.size > 0 && <option value="mine">{t('improvement.myDepartments')}</option>}
              {rights.readAll && <option value="all">{t('improvement.allDepartments')}</option>}
              {departments
                .filter((d) => d.active && (rights.readAll || rights.mine.has(d.id)))
                .map((d) => (
                  <option key={d.id} value={d.id}>
                    {names.get(d.id)?.name ?? d.name}
                  </option>
                ))}
            </select>
          </label>
        </div>
      )}
      {listStatus === 'failed' && listError && (
        <p role="alert" className="error">
          {t('improvement.loadFailed', { message: listError.message })}
        </p>
      )}
      {listStatus === 'loaded' && shown.length === 0 && (
        <p className="muted" data-testid="improvement-desk-empty">
          {t('improvement.deskEmpty')}
        </p>
      )}
      <ul className="improvement-list">
        {shown.map((m) => (
          <li key={m.id} data-testid="improvement-row" className={open?.id === m.id ? 'selected' : undefined}>
            <button type="button" className="link" data-testid="improvement-open" aria-current={open?.id === m.id ? 'true' : undefined} onClick={() => dispatch(improvementOpened(m.id))}>
              {m.title}
            </button>
            <br />
            <ImprovementLine m={m} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function CustomerCard({ c }: { c: ImprovementCustomer }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const telling = useAppSelector(selectImprovements).open?.telling.includes(c.customerId) ?? false;
  const untold = c.items;
  return (
    <li className="follow-up improvement-customer" data-testid="improvement-customer" data-told={c.told}>
      <h4>{c.name}</h4>
      <p className="muted">
        {[c.phone ? formatPhone(c.phone) : null, c.email].filter(Boolean).join(' · ') || '—'} · {c.numbers.map((n) => n ?? '—').join(', ')}
      </p>
      {c.told ? (
        <p data-testid="improvement-customer-told">✓ {t('improvement.toldDone')}</p>
      ) : (
        <div className="voc-actions">
          {TELL_VIA.map((via) => (
            <button key={via} type="button" data-testid={`improvement-told-${via}`} disabled={telling} onClick={() => dispatch(improvementToldAsked({ customerId: c.customerId, items: untold, via }))}>
              {t('improvement.toldBy', { via: t(`vocDesk.via.${via}`) })}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}

export function ImprovementPage() {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const rights = useImprovementRights();
  const open = useAppSelector(selectImprovements).open;
  const deskItems = useAppSelector(selectDesk).list.items;
  const departments = useAppSelector(selectDepartmentsById);
  if (!open) return <p className="muted">{t('improvement.pick')}</p>;
  if (!open.detail) {
    return open.error ? (
      <p role="alert" className="error">
        {t('improvement.loadFailed', { message: open.error })}
      </p>
    ) : (
      <p className="muted">{t('analysis.loading')}</p>
    );
  }
  const { improvement: m, items } = open.detail;
  const moves = IMPROVEMENT_NEXT[m.status].filter((to) => rights.mayMove(m, to));
  const linked = new Set(items.map((i) => i.id));
  const linkable = deskItems.filter((i) => !linked.has(i.id));
  return (
    <article className="improvement-page" data-testid="improvement-page" aria-labelledby="improvement-page-title">
      <h2 id="improvement-page-title">{m.title}</h2>
      <p>
        <ImprovementLine m={m} />
      </p>
      <p className="improvement-change" data-testid="improvement-page-change">
        {m.change}
      </p>
      {m.declinedReason && <p data-testid="improvement-declined-reason">{t('improvement.declinedBecause', { reason: m.declinedReason })}</p>}
      {moves.length > 0 && open.declineReason === null && (
        <div className="voc-actions">
          {moves.map((to) => (
            <button
              key={to}
              type="button"
              data-testid={`improvement-move-${to}`}
              disabled={open.acting}
              onClick={() => dispatch(to === 'declined' ? declineStarted() : improvementStatusAsked({ to }))}
            >
              {t(`improvement.move.${to as Exclude<typeof to, 'proposed'>}`)}
            </button>
          ))}
        </div>
      )}
      {open.declineReason !== null && (
        <form
          className="follow-up-form"
          data-testid="improvement-decline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (open.declineReason?.trim()) dispatch(improvementStatusAsked({ to: 'declined', reason: open.declineReason.trim() }));
          }}
        >
          <label>
            {t('improvement.declineWhy')}
            <textarea data-testid="improvement-decline-reason" maxLength={IMPROVEMENT_REASON_MAX} value={open.declineReason} onChange={(e) => dispatch(declineReasonChanged(e.target.value))} />
          </label>
          {!open.declineReason.trim() && <p className="muted">{t('improvement.declineNeedsReason')}</p>}
          <div className="voc-actions">
            <button type="submit" data-testid="improvement-decline-send" disabled={open.acting || !open.declineReason.trim()}>
              {t('improvement.move.declined')}
            </button>
            <button type="button" onClick={() => dispatch(declineCancelled())}>
              {t('improvement.cancel')}
            </button>
          </div>
        </form>
      )}
      {open.actError && (
        <p role="alert" className="error" data-testid="improvement-act-error">
          {t('improvement.actFailed', { message: open.actError })}
        </p>
      )}

      {m.status === 'done' && (
        <section aria-labelledby="improvement-customers-heading" data-testid="improvement-customers">
          <h3 id="improvement-customers-heading">
            {t('improvement.customersHeading')} <span className="muted">({t('improvement.toldCount', { told: m.told, linked: m.linked })})</span>
          </h3>
          <p className="muted">{t('improvement.customersHint')}</p>
          {open.customers && open.customers.length === 0 && <p className="muted">{t('improvement.noCustomers')}</p>}
          <ul className="follow-ups improvement-customers">
            {(open.customers ?? []).map((c) => (
              <CustomerCard key={c.customerId} c={c} />
            ))}
          </ul>
        </section>
      )}

      <h3>{t('improvement.items')}</h3>
      <table className="desk-table" data-testid="improvement-items">
        <tbody>
          {items.map((i) => (
            <tr key={i.id} data-testid="improvement-item">
              <td className="desk-open">{i.number ?? '—'}</td>
              <td>
                <VocTypeBadge type={i.type} />
              </td>
              <td>{t(`vocStatus.${i.status}`)}</td>
              <td>{i.toldAt ? `✓ ${t('improvement.toldDone')} ${formatDateTime(locale, i.toldAt)}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {m.status !== 'declined' && rights.mayWork(m.departmentId) && open.linking === null && (
        <button type="button" data-testid="improvement-link-more" onClick={() => dispatch(linkStarted())}>
          {t('improvement.linkMore')}
        </button>
      )}
      {open.linking !== null && (
        <form
          className="follow-up-form"
          data-testid="improvement-link-form"
          onSubmit={(e) => {
            e.preventDefault();
            dispatch(improvementLinkSubmitted());
          }}
        >
          <fieldset>
            <legend>{t('improvement.linkPick')}</legend>
            {linkable.length === 0 && <p className="muted">{t('improvement.linkNone')}</p>}
            {linkable.map((i) => (
              <label key={i.id} className="check">
                <input type="checkbox" data-testid="improvement-link-item" checked={open.linking!.includes(i.id)} onChange={() => dispatch(linkToggled(i.id))} />
                {i.number ?? '—'} · {t(`voc.type.${i.type}`)} · {departments.get(i.departmentId ?? '')?.name ?? '—'}
              </label>
            ))}
          </fieldset>
          <div className="voc-actions">
            <button type="submit" data-testid="improvement-link-send" disabled={open.acting || open.linking.length === 0}>
              {t('improvement.linkSend', { count: open.linking.length })}
            </button>
            <button type="button" onClick={() => dispatch(linkCancelled())}>
              {t('improvement.cancel')}
            </button>
          </div>
        </form>
      )}
      <p>
        <button type="button" className="link" onClick={() => dispatch(improvementClosed())}>
          {t('improvement.close')}
        </button>
      </p>
    </article>
  );
}
