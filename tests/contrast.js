// [[selector, contrast ratio], ...] for every element matching `selectors`: the text
// colour against the first opaque background behind it (WCAG 2 relative luminance).
(selectors) => {
  const channel = (c) => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const parse = (value) => (value.match(/[\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const [r, g, b, a = 1] = parse(getComputedStyle(node).backgroundColor);
      if (a > 0) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const results = [];
  for (const selector of selectors) {
    for (const element of document.querySelectorAll(selector)) {
      const text = luminance(parse(getComputedStyle(element).color));
      const behind = luminance(background(element));
      const ratio = (Math.max(text, behind) + 0.05) / (Math.min(text, behind) + 0.05);
      results.push([selector, Math.round(ratio * 100) / 100]);
    }
  }
  return results;
}
