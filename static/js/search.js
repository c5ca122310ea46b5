// Every search box without a framework: names suggested as the reader types (a <datalist>
// filled from /api/suggest), and the search page's 筛选 panel folded away on a phone.
const SUGGEST_URL = "/api/suggest";
const FIELD_PREFIX = /^(记者|作者|reporter|工会|org)[:：]["“]?(.*)$/i;
const REPORTER_PREFIXES = ["记者", "作者", "reporter"];

function wantedNames(input) {
  // What to look up, and how each suggested name becomes the whole new value of the input.
  const kind = input.dataset.suggest;
  if (kind !== "query") {
    return { term: input.value.trim(), kind, value: (name) => name };
  }
  const cut = input.value.search(/\S*$/);
  const head = input.value.slice(0, cut);
  const token = input.value.slice(cut);
  const prefixed = FIELD_PREFIX.exec(token);
  if (prefixed) {
    const prefix = prefixed[1];
    const wanted = REPORTER_PREFIXES.includes(prefix.toLowerCase()) ? "reporter" : "union";
    return { term: prefixed[2], kind: wanted, value: (name) => `${head}${prefix}:${name}` };
  }
  if (token.length < 2) return null;
  return {
    term: token,
    kind: "",
    value: (name, found) => `${head}${found === "reporter" ? "记者" : "工会"}:${name}`,
  };
}

async function fill(input, list) {
  const wanted = wantedNames(input);
  if (!wanted || !wanted.term) {
    list.replaceChildren();
    return;
  }
  const url = `${SUGGEST_URL}?${new URLSearchParams({ q: wanted.term, kind: wanted.kind })}`;
  let data;
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    data = await response.json();
  } catch {
    return; // offline or a server hiccup: typing goes on without suggestions
  }
  list.replaceChildren(
    ...data.suggestions.map((found) => {
      const option = document.createElement("option");
      option.value = wanted.value(found.name, found.kind);
      option.label = `${found.kind === "reporter" ? "记者" : "工会"} ${found.name}（${found.article_count} 篇）`;
      return option;
    }),
  );
}

document.querySelectorAll("input[data-suggest]").forEach((input, index) => {
  const list = document.createElement("datalist");
  list.id = `suggest-${index}`;
  input.after(list);
  input.setAttribute("list", list.id);
  let pending;
  input.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(() => fill(input, list), 150);
  });
});

// On a phone the facets come first, folded behind 筛选; on a wide screen they stay open.
const facets = document.querySelector("details.facets-toggle");
if (facets && window.matchMedia("(max-width: 40rem)").matches) {
  facets.open = false;
}
