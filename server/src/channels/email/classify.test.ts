// RFC 3834 rules on header variants the fixtures do not carry.
import { describe, expect, it } from 'vitest';
import { classifyMail, indexHeaders } from './classify';

function classify(headerLines: string[], mailFrom: string | null = 'someone@example.net', from = 'someone@example.net') {
  const raw = `${headerLines.join('\r\n')}\r\n\r\nbody\r\n`;
  return classifyMail(indexHeaders(raw), mailFrom, from, raw);
}

describe('classifyMail', () => {
  it('Auto-Submitted: no is a person writing', () => {
    expect(classify(['Auto-Submitted: no', 'Subject: hi'])).toEqual({ kind: 'personal', neverAnswerAutomatically: false, reasons: [], deliveryReport: null });
  });

  it('X-Autoreply, X-Autorespond and Precedence: auto_reply are auto-replies', () => {
    expect(classify(['X-Autoreply: yes']).kind).toBe('auto-reply');
    expect(classify(['X-Autorespond: Vacation']).reasons).toEqual(['x-autorespond header']);
    expect(classify(['Precedence: auto_reply']).kind).toBe('auto-reply');
  });

  it('Precedence list/junk and List-Id are bulk; X-Loop alone forbids an automatic answer', () => {
    expect(classify(['Precedence: list']).kind).toBe('bulk');
    expect(classify(['Precedence: junk']).kind).toBe('bulk');
    expect(classify(['List-Id: <users.lists.example>']).kind).toBe('bulk');
    expect(classify(['X-Loop: acme@mail.earshot.test'])).toMatchObject({ kind: 'personal', neverAnswerAutomatically: true, reasons: ['X-Loop header'] });
  });

  it('a read receipt (multipart/report, disposition-notification) is automatic, not a bounce', () => {
    expect(classify(['Content-Type: multipart/report; report-type=disposition-notification; boundary="r"'])).toMatchObject({ kind: 'auto-reply', deliveryReport: null });
  });

  it('the null sender and automatic sender addresses are never answered automatically', () => {
    expect(classify([], null).reasons).toEqual(['null envelope sender (MAIL FROM:<>)']);
    expect(classify([], 'x@y', 'no-reply@shop.example').neverAnswerAutomatically).toBe(true);
    expect(classify([], 'x@y', 'owner-list@lists.example').neverAnswerAutomatically).toBe(true);
    expect(classify([], null, 'MAILER-DAEMON@mx.example').kind).toBe('bounce');
  });

  it('reads folded header lines whole', () => {
    expect(classify(['Auto-Submitted:', ' auto-generated']).reasons).toEqual(['Auto-Submitted: auto-generated']);
  });

  it('a success report (NOTIFY=SUCCESS) is a delivery-report carrying our ENVID, not a bounce', () => {
    const raw = [
      'From: MAILER-DAEMON@mx.acme-shop.example',
      'Auto-Submitted: auto-replied',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r1"',
      '',
      '--r1',
      'Content-Type: text/plain',
      '',
      'Your message was delivered.',
      '--r1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.acme-shop.example',
      'Original-Envelope-Id: outbox+2B42',
      '',
      'Final-Recipient: rfc822; minji.park@example.net',
      'Action: delivered',
      'Status: 2.0.0',
      '',
      '--r1',
      'Content-Type: text/rfc822-headers',
      '',
      'Message-ID: <5f0c@mail.earshot.test>',
      '--r1--',
      '',
    ].join('\r\n');
    const result = classifyMail(indexHeaders(raw), null, 'mailer-daemon@mx.acme-shop.example', raw);
    expect(result.kind).toBe('delivery-report');
    expect(result.neverAnswerAutomatically).toBe(true);
    expect(result.deliveryReport).toEqual({
      reportingMta: 'mx.acme-shop.example',
      envelopeId: 'outbox+42',
      recipients: [{ recipient: 'minji.park@example.net', action: 'delivered', status: '2.0.0', permanent: false, diagnostic: null }],
      originalMessageId: '5f0c@mail.earshot.test',
    });
  });
});
