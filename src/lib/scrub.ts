// Short labels of clicked things, never page content: whitespace collapsed, card-like digit
// runs (Luhn-valid, 12 to 19 digits, spaces or dashes allowed) and emails removed, cut short.
const luhn = (digits: string): boolean => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = +digits[digits.length - 1 - i]!;
    if (i % 2 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 == 0;
};

export const scrub = (text: string | null | undefined, max = 100): string =>
  (text || '')
    .replace(/\d[\d -]{10,}\d/g, (run) => {
      const digits = run.replace(/\D/g, '');
      return digits.length > 11 && digits.length < 20 && luhn(digits) ? '' : run;
    })
    .replace(/\S+@\S+\.\w+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);

/** The label of a link or button: its aria-label, else its text. */
export const labelOf = (el: Element): string => scrub(el.getAttribute('aria-label') || (el as HTMLElement).innerText || el.textContent, 60);
