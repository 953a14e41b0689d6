// The demo's preview client: fetch the draft behind the token in this page's URL from
// /api/v2/page_preview/ and render it. Text goes in as text; rich text passes through an
// allow-list of elements and http(s) links only, as any front end should treat HTML.
"use strict";

const MESSAGES = {
  ja: { banner: "プレビュー（下書き）", missing: "このプレビューは無効か期限切れです。エディタでもう一度「プレビュー」を押してください。", failed: "プレビューを読み込めませんでした。" },
  en: { banner: "Preview (draft)", missing: "This preview is not valid or has expired. Press Preview in the editor again.", failed: "The preview could not be loaded." },
};
const ALLOWED = new Set(["P", "A", "B", "STRONG", "I", "EM", "BR", "UL", "OL", "LI", "H2", "H3", "H4", "SUB", "SUP"]);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function cleanHtml(html) {
  const source = new DOMParser().parseFromString(html, "text/html").body;
  const copy = (from, to) => {
    for (const child of from.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.append(child.textContent);
      } else if (child.nodeType === Node.ELEMENT_NODE && ALLOWED.has(child.tagName)) {
        const clean = document.createElement(child.tagName);
        const href = child.tagName === "A" && child.getAttribute("href");
        if (href && /^(https?:\/\/|\/)/i.test(href)) clean.setAttribute("href", href);
        copy(child, clean);
        to.append(clean);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        copy(child, to); // keep the text of anything else, drop the element
      }
    }
  };
  const fragment = document.createDocumentFragment();
  copy(source, fragment);
  return fragment;
}

function image(data) {
  const rendition = data.renditions.medium || Object.values(data.renditions)[0];
  const figure = element("figure");
  const img = element("img");
  img.src = rendition.url;
  img.alt = data.alt || "";
  figure.append(img);
  if (data.caption || data.credit) {
    figure.append(element("figcaption", [data.caption, data.credit].filter(Boolean).join(" · ")));
  }
  return figure;
}

function block(item) {
  const value = item.value;
  switch (item.type) {
    case "heading": return element(`h${Math.min(Math.max(Number(value.level) || 2, 2), 4)}`, value.text);
    case "paragraph": { const div = element("div"); div.append(cleanHtml(value)); return div; }
    case "list": {
      const list = element(value.style === "numbered" ? "ol" : "ul");
      for (const entry of value.items) list.append(element("li", entry));
      return list;
    }
    case "quote": {
      const quote = element("blockquote", value.text);
      if (value.attribution) quote.append(element("footer", value.attribution));
      return quote;
    }
    case "key_points": {
      const box = element("aside", null, "key-points");
      box.append(element("h2", value.title));
      const list = element("ul");
      for (const point of value.points) list.append(element("li", point));
      box.append(list);
      return box;
    }
    case "image": return value ? image(value) : element("span");
    case "embed": {
      const paragraph = element("p");
      const link = element("a", value.title || value.url);
      if (/^https?:\/\//i.test(value.url)) link.href = value.url;
      paragraph.append(link);
      return paragraph;
    }
    default: return element("span");
  }
}

function render(page, main) {
  const language = (page.meta && page.meta.locale) || document.documentElement.lang;
  document.documentElement.lang = language;
  const words = MESSAGES[language] || MESSAGES.en;
  document.getElementById("banner").textContent = words.banner;
  document.title = `${words.banner}: ${page.title}`;
  main.replaceChildren();
  const header = element("header");
  const details = [page.category && page.category.title, page.ai && page.ai.label, page.reading_time && page.reading_time.label];
  header.append(element("p", details.filter(Boolean).join(" · "), "meta"));
  header.append(element("h1", page.title));
  if (page.summary) header.append(element("p", page.summary, "summary"));
  main.append(header);
  if (page.hero_image) main.append(image(page.hero_image));
  const body = element("article");
  for (const item of page.body || []) body.append(block(item));
  main.append(body);
  if (page.disclaimer) main.append(element("p", page.disclaimer.short_text, "disclaimer"));
}

async function load() {
  const main = document.getElementById("preview");
  const query = new URLSearchParams(window.location.search);
  const api = document.querySelector('meta[name="prism-api"]').content;
  const url = `${api}page_preview/?${new URLSearchParams({ content_type: query.get("content_type") || "", token: query.get("token") || "" })}`;
  const words = MESSAGES[document.documentElement.lang] || MESSAGES.en;
  try {
    const response = await fetch(url, { cache: "no-store", credentials: "omit" });
    if (!response.ok) {
      main.replaceChildren(element("p", response.status === 404 ? words.missing : words.failed, "error"));
      return;
    }
    render(await response.json(), main);
  } catch (error) {
    main.replaceChildren(element("p", words.failed, "error"));
  }
}

document.addEventListener("DOMContentLoaded", load);
