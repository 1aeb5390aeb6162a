// Folding text bodies beyond the fixtures: Korean Gmail and Outlook headers, a bare `>` block,
// interleaved answers (not folded), and a message with no quote at all.
import { describe, expect, it } from 'vitest';
import { foldQuotedText } from './fold';

describe('foldQuotedText', () => {
  it('folds Korean Gmail "…님이 작성:" quotes', () => {
    const text = '네, 교환 부탁드립니다.\n\n2026년 11월 30일 (월) 오후 5:40, ACME Support <support@acme-shop.example>님이 작성:\n\n> 안녕하세요 고객님,\n> 교환 또는 반품 중 선택해 주세요.\n';
    const folded = foldQuotedText(text);
    expect(folded.reply).toBe('네, 교환 부탁드립니다.');
    expect(folded.quoted).toMatch(/^2026년 11월 30일 .*님이 작성:\n\n> 안녕하세요 고객님,/);
  });

  it('folds a wrapped Korean Gmail header', () => {
    const folded = foldQuotedText('좋아요.\n\n2026년 11월 30일 (월) 오후 5:40, ACME Support <support@acme-shop.example>\n님이 작성:\n> 안녕하세요\n');
    expect(folded.reply).toBe('좋아요.');
    expect(folded.quoted.startsWith('2026년 11월 30일')).toBe(true);
  });

  it('folds Korean Outlook "보낸 사람: … 보낸 날짜: …" blocks with their separator line', () => {
    const text = '확인했습니다.\n\n김지훈 드림\n\n________________________________\n보낸 사람: ACME Support <support@acme-shop.example>\n보낸 날짜: 2026년 11월 30일 월요일 오후 5:40\n받는 사람: 김지훈 <jh@example.kr>\n제목: 주문 A-10293\n\n안녕하세요\n';
    const folded = foldQuotedText(text);
    expect(folded.reply).toBe('확인했습니다.\n\n김지훈 드림');
    expect(folded.quoted).toMatch(/^_+\n보낸 사람: ACME Support/);
  });

  it('folds Naver-style "-----Original Message-----" and a bare trailing > block', () => {
    expect(foldQuotedText('감사합니다.\n\n-----Original Message-----\nFrom: "ACME Support"<support@acme-shop.example>\nSent: 2026-11-30 (월) 17:40\n\n안녕하세요\n').reply).toBe('감사합니다.');
    const bare = foldQuotedText('Sounds good.\n\nSent from my phone:\n> Your lid ships today.\n> ACME\n');
    expect(bare).toMatchObject({ reply: 'Sounds good.', quoted: 'Sent from my phone:\n> Your lid ships today.\n> ACME' });
  });

  it('leaves interleaved answers and unquoted mail whole', () => {
    const interleaved = '> Which colour?\nRed, please.\n> Which size?\nLarge.\n';
    expect(foldQuotedText(interleaved)).toMatchObject({ reply: interleaved.trim(), quoted: '' });
    expect(foldQuotedText('Just a question: do you ship to Jeju?\n')).toMatchObject({ reply: 'Just a question: do you ship to Jeju?', quoted: '' });
  });
});
