// Words the demo data is made of: names, contact subjects, agents' note phrases and VOC topics, in Korean and English.
// All people are fictional; emails use the reserved example.* domains and US numbers the 555-01xx range.

/** [Hangul, romanisation]: the romanisation builds the customer's email address. */
export const KOREAN_SURNAMES = [
  ['김', 'kim'], ['이', 'lee'], ['박', 'park'], ['최', 'choi'], ['정', 'jung'], ['강', 'kang'],
  ['조', 'cho'], ['윤', 'yoon'], ['장', 'jang'], ['임', 'lim'], ['한', 'han'], ['오', 'oh'],
  ['서', 'seo'], ['신', 'shin'], ['권', 'kwon'], ['황', 'hwang'], ['안', 'ahn'], ['송', 'song'],
] as const;
export const KOREAN_GIVEN_NAMES = [
  ['민지', 'minji'], ['서연', 'seoyeon'], ['지훈', 'jihoon'], ['도윤', 'doyoon'], ['하은', 'haeun'],
  ['서준', 'seojun'], ['지우', 'jiwoo'], ['예준', 'yejun'], ['수아', 'sua'], ['시우', 'siwoo'],
  ['지민', 'jimin'], ['현우', 'hyunwoo'], ['유진', 'yujin'], ['은지', 'eunji'], ['동현', 'donghyun'],
  ['나연', 'nayeon'], ['태현', 'taehyun'], ['소영', 'soyoung'], ['준호', 'junho'], ['미경', 'mikyung'],
  ['영수', 'youngsoo'], ['혜진', 'hyejin'], ['성민', 'sungmin'], ['다은', 'daeun'],
] as const;
export const ENGLISH_FIRST_NAMES = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'David', 'Emily',
  'William', 'Sarah', 'Daniel', 'Karen', 'Matthew', 'Nancy', 'Anthony', 'Lisa', 'Mark', 'Olivia',
  'Steven', 'Grace', 'Kevin', 'Hannah', 'Brian', 'Chloe', 'Jason', 'Megan',
] as const;
export const ENGLISH_LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Anderson',
  'Taylor', 'Thomas', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Nguyen', 'Hill',
] as const;
/** Real NANP area codes; numbers are drawn from the fictional 555-0100…555-0199 lines. */
export const US_AREA_CODES = [
  201, 202, 206, 212, 213, 214, 215, 305, 310, 312, 313, 404, 408, 415, 416, 469, 503, 512, 602, 604,
  612, 617, 646, 702, 713, 718, 720, 773, 801, 818, 858, 917, 919, 925, 949, 972,
] as const;
export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;
export const SEGMENTS = ['retail', 'small_business', 'enterprise', 'student', 'senior'] as const;

export const AGENT_KOREAN_NAMES = [
  '김하늘', '이준서', '박소윤', '최민호', '정다인', '강도현', '조예린', '윤지성', '장서우', '임채원',
  '한유나', '오세진', '서지안', '신동욱', '권나래', '황보람', '안태윤', '송하람', '유지호', '문가은',
] as const;

/** The demo's queues; each name and disposition as [code, English, Korean]. */
export const QUEUE_DEFINITIONS = [
  {
    id: 'general',
    name: 'General enquiries',
    ko: '일반 문의',
    dispositionRequired: false,
    codes: [['resolved', 'Resolved', '해결'], ['info-given', 'Information given', '안내 완료'], ['callback', 'Callback promised', '재연락 약속'], ['transferred', 'Transferred', '호 전환']],
  },
  {
    id: 'billing',
    name: 'Billing and payments',
    ko: '요금·결제',
    dispositionRequired: true,
    codes: [['resolved', 'Resolved', '해결'], ['refund-issued', 'Refund issued', '환불 처리'], ['payment-plan', 'Payment plan agreed', '분할 납부 합의'], ['callback', 'Callback promised', '재연락 약속'], ['escalated', 'Escalated', '상위 이관']],
  },
  {
    id: 'tech',
    name: 'Technical support',
    ko: '기술 지원',
    dispositionRequired: false,
    codes: [['resolved', 'Resolved', '해결'], ['ticket-opened', 'Ticket opened', '접수 번호 발급'], ['escalated', 'Escalated', '상위 이관'], ['callback', 'Callback promised', '재연락 약속'], ['info-given', 'Information given', '안내 완료']],
  },
] as const;

/** Subjects for the non-call channels (email subject, chat topic, board post title). */
export const SUBJECTS: Record<'ko' | 'en', readonly string[]> = {
  ko: ['요금 청구 문의', '배송 지연 문의', '앱 로그인 오류', '요금제 변경 요청', '환불 요청', '매장 서비스 후기', '제품 사용법 문의', '주소 변경', '해지 문의', '이벤트 참여 문의'],
  en: ['Question about my bill', 'Where is my order?', 'Cannot sign in to the app', 'Change of plan', 'Refund request', 'Feedback on store visit', 'How do I set this up?', 'Address change', 'Cancelling my account', 'Promotion question'],
};

/** Agents' free-text notes are built from an opening and a follow-up, so they read like real jottings. */
export const NOTE_OPENINGS: Record<'ko' | 'en', readonly string[]> = {
  ko: ['고객이 이번 달 청구 금액 확인 요청.', '배송 지연으로 불만 표시, 사과드림.', '앱 로그인 안 된다고 하심, 비밀번호 재설정 안내.', '요금제 변경 원하심, 옵션 설명함.', '환불 절차 문의.', '지난번 상담 건 진행 상황 문의.', '매장 직원 응대가 좋았다고 칭찬하심.', '주소 변경 요청 받음.', '해지 고민 중이라고 하심.', '제품 설정 방법 문의.'],
  en: ['Customer asked to go through this month\'s bill.', 'Unhappy about a late delivery, apologised.', 'Cannot sign in to the app, walked through a password reset.', 'Wants to change plan, explained the options.', 'Asked how refunds work.', 'Following up on last week\'s case.', 'Praised the staff at the downtown store.', 'Took an address change.', 'Said they are thinking about leaving.', 'Needed help setting the product up.'],
};
export const NOTE_FOLLOW_UPS: Record<'ko' | 'en', readonly string[]> = {
  ko: ['안내 완료.', '다음 주 화요일 재연락 약속.', '담당 부서로 이관함.', '문자로 안내 링크 발송.', '고객 만족하심.', '목소리에 불만이 느껴졌음, 추가 확인 필요.', '이메일로 상세 내역 보내드리기로 함.', '추가 문의 없음.'],
  en: ['All sorted.', 'Promised a call back on Tuesday.', 'Passed to the billing team.', 'Sent the help link by SMS.', 'Customer was happy with the answer.', 'Sounded frustrated, worth checking in later.', 'Will email the full breakdown.', 'Nothing else raised.'],
};

/** Korean names for every other demo staff member (the rest are "Staff N"). */
export const STAFF_KOREAN_NAMES = ['', '한지민', '', '오세훈', '', '서유리', '', '문재석', '', '임하늘'];
export const VOC_DESCRIPTIONS: Record<'ko' | 'en', Record<'inquiry' | 'complaint' | 'praise' | 'suggestion' | 'want_slip', readonly string[]>> = {
  ko: {
    inquiry: ['청구 항목에 대한 설명을 요청함.', '배송 예정일을 알고 싶어 함.', '요금제별 차이를 물어봄.'],
    complaint: ['같은 문제로 세 번째 연락, 해결이 늦다고 항의.', '배송 중 제품 파손.', '안내받은 내용과 청구 금액이 다름.'],
    praise: ['지난 상담원이 친절하게 해결해 줬다고 칭찬.', '매장 직원이 끝까지 도와줬다고 함.'],
    suggestion: ['앱에서 영수증을 바로 볼 수 있으면 좋겠다고 함.', '주말 상담 시간을 늘려 달라는 의견.'],
    want_slip: ['말은 안 했지만 대기 시간이 길어 짜증난 기색.', '가격 얘기에서 망설임, 경쟁사 비교 중인 듯.', '해지 언급은 없었지만 불만이 느껴짐.'],
  },
  en: {
    inquiry: ['Wanted the charges on the bill explained.', 'Asked when the order will arrive.', 'Asked how the plans differ.'],
    complaint: ['Third contact about the same problem; says it is taking too long.', 'Product arrived damaged.', 'Bill does not match what they were told.'],
    praise: ['Praised the previous agent for sorting it out kindly.', 'Store staff went out of their way to help.'],
    suggestion: ['Would like to see receipts in the app.', 'Asked for longer weekend opening hours.'],
    want_slip: ['Did not say so, but the wait clearly annoyed them.', 'Hesitated at the price; seems to be comparing with a competitor.', 'No mention of cancelling, but sounded unhappy.'],
  },
};

export const FLAG_REASONS = {
  vip: ['Top spender for two years running', 'Enterprise account owner'],
  churn_risk: ['Asked about cancelling twice this quarter', 'Usage has dropped sharply'],
  abusive: ['Repeated verbal abuse toward agents', 'Threatened an agent on a recorded call'],
} as const;
