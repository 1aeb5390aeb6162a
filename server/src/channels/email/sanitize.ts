// HTML of inbound mail through an allow-list (sanitize-html): formatting, tables, links and inline
// (`cid:`) images stay; scripts, event handlers, forms, frames, styles sheets, `javascript:` and
// every other scheme but http(s)/mailto/tel go. Remote images are blocked (their alt text stays):
// a tracking pixel would tell the sender when, and from where, an agent opened the mail. Quoted
// history is marked `earshot-quote` (Gmail's gmail_quote, `<blockquote type="cite">`) and Outlook's
// reply header `earshot-quote-header`, so the desk can fold it. Run again at render time.
import sanitizeHtml from 'sanitize-html';
import type { SanitisedHtml } from './types';

const COLOR = /^(#[0-9a-f]{3,8}|[a-z]+|rgba?\(\s*[\d.\s,%]+\))$/i;
const LENGTH = /^-?[\d.]+(px|pt|em|rem|%)?$/i;
const LENGTHS = /^(-?[\d.]+(px|pt|em|rem|%)?\s*){1,4}$/i;

const STYLES: Record<string, RegExp[]> = {
  color: [COLOR],
  'background-color': [COLOR],
  'font-size': [LENGTH],
  'font-weight': [/^(normal|bold|bolder|lighter|\d{3})$/i],
  'font-style': [/^(normal|italic|oblique)$/i],
  'font-family': [/^[\w\s,'"-]+$/],
  'text-align': [/^(left|right|center|justify)$/i],
  'text-decoration': [/^(none|underline|line-through|overline)$/i],
  'vertical-align': [/^(top|middle|bottom|baseline)$/i],
  'white-space': [/^(normal|pre|pre-wrap|pre-line|nowrap)$/i],
  margin: [LENGTHS],
  padding: [LENGTHS],
  'border-left': [/^[\d.]+px\s+(solid|dotted|dashed)\s+[#\w(),.\s]+$/i],
  width: [LENGTH],
};

const TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'center', 'code', 'col', 'colgroup', 'dd', 'del', 'div', 'dl', 'dt',
  'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'li', 'ol', 'p', 'pre', 'q', 's', 'small',
  'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul',
];

/** Tags dropped with everything inside them (not just the tag). */
const DROPPED_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'iframe', 'object', 'embed', 'svg', 'math', 'form', 'template', 'select', 'button'];

const CELL = ['colspan', 'rowspan', 'align', 'valign', 'width', 'height', 'bgcolor'];

/**
 * Sanitise one message's HTML. `inlineContentIds` are the Content-IDs of attachments that were
 * kept: only those may be shown inline; any other image is blocked.
 */
export function sanitiseMailHtml(html: string, inlineContentIds: ReadonlySet<string> = new Set()): SanitisedHtml {
  let imagesBlocked = 0;
  const clean = sanitizeHtml(html, {
    allowedTags: TAGS,
    nonTextTags: DROPPED_WITH_CONTENT,
    allowedAttributes: {
      '*': ['style', 'dir', 'lang', 'title', 'align'],
      a: ['href', 'rel', 'target'],
      img: ['src', 'alt', 'width', 'height'],
      td: CELL,
      th: CELL,
      table: ['width', 'border', 'cellpadding', 'cellspacing', 'bgcolor'],
      font: ['color', 'size', 'face'],
      blockquote: ['class'],
      div: ['class'],
    },
    allowedClasses: { '*': ['earshot-quote', 'earshot-quote-header'] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['cid'] },
    allowProtocolRelative: false,
    allowedStyles: { '*': STYLES },
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
      img: (tagName, attribs) => {
        const src = (attribs.src ?? '').trim();
        const cid = /^cid:/i.test(src) ? src.slice(4).replace(/^<|>$/g, '') : null;
        if (cid !== null && inlineContentIds.has(cid)) return { tagName, attribs };
        imagesBlocked += 1;
        const alt = attribs.alt?.trim();
        return { tagName: 'span', attribs: {}, text: alt ? `[${alt}]` : '' };
      },
      div: (tagName, attribs) => ({ tagName, attribs: quoteClass(attribs) }),
      blockquote: (tagName, attribs) => ({
        tagName,
        attribs: attribs.type === 'cite' || /gmail_quote/.test(attribs.class ?? '') ? { ...attribs, class: 'earshot-quote' } : { ...attribs, class: '' },
      }),
    },
  });
  return { html: clean, imagesBlocked };
}

function quoteClass(attribs: Record<string, string>): Record<string, string> {
  if (/(^|\s)gmail_quote(\s|$)|gmail_quote_container/.test(attribs.class ?? '')) return { ...attribs, class: 'earshot-quote' };
  if (attribs.id === 'divRplyFwdMsg') return { ...attribs, class: 'earshot-quote-header' };
  return { ...attribs, class: '' };
}
