// The floor's "Because customers told us" (VOC.md step 10): improvements departments finished because
// of what customers said, beside great service on the agents' and supervisors' desks, the same quiet
// band; each can be hidden on this desktop.
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectDepartmentsById } from '../voc/reference-slice';
import { selectImprovements, sharedHidden } from './improvements-slice';
import '../great-service/great-service.css';

const SHOWN = 3;

export function ImprovementsSharedBanner() {
  const t = useT();
  const dispatch = useAppDispatch();
  const { shared, hiddenShared } = useAppSelector(selectImprovements);
  const departments = useAppSelector(selectDepartmentsById);
  const shown = shared.filter((m) => !hiddenShared.includes(m.id)).slice(0, SHOWN);
  return (
    <section className="great-service" aria-labelledby="improvements-shared-heading" aria-live="polite" data-testid="improvements-shared" hidden={shown.length === 0}>
      <h2 id="improvements-shared-heading">{t('improvement.floorHeading')}</h2>
      <ul>
        {shown.map((m) => (
          <li key={m.id} data-testid="improvements-shared-item" title={m.change}>
            <span>{t('improvement.floorEntry', { title: m.title, department: departments.get(m.departmentId)?.name ?? m.departmentName, voices: m.voices })}</span>{' '}
            <button type="button" className="link" onClick={() => dispatch(sharedHidden(m.id))} aria-label={`${t('improvement.hide')}: ${m.title}`}>
              {t('improvement.hide')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
