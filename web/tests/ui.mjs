// Browser test of sitrep's web UI, with Debian's chromium driven by playwright-core against a
// running `sitrep serve` of the demo corpus: the map shows the places and the M4, filters
// change the counts, an event opens its article with the evidence highlighted, the claims
// ledger lists speakers, a claim thread shows its timeline, predictions their statuses and a
// claimant their record, and the sources page the feed the server watches. A screenshot of each page goes to the folder given.
//
//   node tests/ui.mjs http://127.0.0.1:PORT SCREENSHOT_DIR
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const [base, shots] = process.argv.slice(2);
if (!base || !shots) throw new Error("usage: node tests/ui.mjs BASE_URL SCREENSHOT_DIR");
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
const check = (ok, what) => { console.log(`${ok ? "ok  " : "FAIL"} ${what}`); if (!ok) failures.push(what); };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => check(false, `no script error (${e.message})`));
  await page.goto(base);
  await page.waitForFunction(() => /\d+ events/.test(document.querySelector("#count")?.textContent ?? ""));
  const count = async () => Number((await page.textContent("#count")).match(/(\d+) events/)[1]);
  const all = await count();
  check(all > 20, `the map's count shows the demo's events (${all})`);
  await page.waitForSelector("path.leaflet-interactive", { state: "attached", timeout: 10000 });
  const markers = await page.locator(".leaflet-marker-pane > *").count();
  check(markers > 0, `event markers or clusters are on the map (${markers})`);
  const titles = await page.$$eval(".leaflet-marker-pane [title]", (els) => els.map((e) => e.title));
  for (const [place, spelling] of [["Ariha", /^Ar[iī]+[hḩḥ]ā?$/], ["Atarib", /At(h)?[aā]rib/], ["M4 highway", /^M4/]]) {
    check(titles.some((t) => spelling.test(t)), `the place ${place} is on the map`);
  }
  const lines = await page.locator('path.leaflet-interactive[stroke="#2c3e50"]').count();
  check(lines > 0, `roads (the M4) are drawn as lines (${lines})`);
  check(await page.locator("#timeline rect.bar").count() > 0, "the timeline has bars");
  await page.waitForSelector("path.country-area", { state: "attached", timeout: 10000 }).catch(() => {});
  const areas = await page.locator("path.country-area").count();
  check(areas > 0, `events placed only to a country are drawn as its area (${areas} countries)`);
  const boxes = await page.locator("path.region-area").count();
  check(boxes > 0, `events placed only to a region are drawn as its box (${boxes} regions)`);
  check(requests.every((u) => u.startsWith(base)), "nothing is fetched from outside the server");
  await page.screenshot({ path: `${shots}/map.png` });

  await page.selectOption("select[name=mode]", "occurred");
  await page.waitForFunction((n) => { const m = (document.querySelector("#count").textContent.match(/(\d+) events/) ?? [])[1]; return m && Number(m) !== n; }, all);
  const occurred = await count();
  check(occurred > 0 && occurred < all, `the mode filter changes the count (${all} → ${occurred})`);
  await page.click("#timeline rect.bar");
  const oneDay = await count();
  check(oneDay > 0 && oneDay <= occurred, `a day on the timeline filters the map (${occurred} → ${oneDay})`);
  await page.screenshot({ path: `${shots}/filtered.png` });
  await page.click("button[type=reset]");
  await page.waitForFunction((n) => document.querySelector("#count").textContent.startsWith(`${n} events`), all);

  await page.click("#side .event >> nth=0");
  await page.waitForSelector("article.doc", { timeout: 10000 });
  check(await page.locator("[data-testid=focused-event]").count() > 0, "the clicked event is marked in its article");
  check(await page.locator("article.doc mark.event").count() > 0, "the article shows its events highlighted");
  check(await page.locator("article.doc mark.mention").count() > 0, "and its mentions");
  await page.hover("[data-testid=focused-event]");
  const tip = await page.textContent("#tip");
  check(/rule:/.test(tip), "hovering an event shows the rule that found it");
  await page.screenshot({ path: `${shots}/article.png` });

  await page.goto(`${base}/#/claims`);
  await page.waitForSelector("[data-testid=claims-title]");
  const speakers = await page.locator(".speaker").count();
  check(speakers > 3, `the claims ledger groups claims by speaker (${speakers})`);
  await page.screenshot({ path: `${shots}/claims.png` });

  // Claims over time: a thread's timeline with its denial, predictions by status, a record.
  await page.goto(`${base}/#/threads`);
  await page.waitForSelector("[data-testid=threads-title]");
  check(await page.locator(".thread").count() > 0, "the threads page lists claim threads");
  await page.locator(".thread a").first().click();
  await page.waitForSelector("[data-testid=thread-timeline]");
  const dots = await page.locator("[data-testid=thread-timeline] circle").count();
  check(dots >= 2, `a thread shows who said it when on a timeline (${dots} statements)`);
  await page.screenshot({ path: `${shots}/thread.png` });
  await page.goto(`${base}/#/predictions`);
  await page.waitForSelector("[data-testid=predictions-title]");
  const statuses = await page.locator(".prediction .badge").allTextContents();
  check(["fulfilled", "unfulfilled", "contradicted"].every((s) => statuses.includes(s)),
    `predictions show their statuses (${[...new Set(statuses)].join(", ")})`);
  check(await page.locator("[data-testid=predictions-timeline] rect").count() > 0, "and a timeline from said to due");
  await page.screenshot({ path: `${shots}/predictions.png` });
  await page.goto(`${base}/#/claimants`);
  await page.waitForSelector("[data-testid=claimants-title]");
  await page.locator(".claimant a").first().click();
  await page.waitForSelector("[data-testid=claimant-title]");
  check(await page.locator("[data-testid=record] .bar span").count() > 0, "a claimant's record is drawn as a chart");
  await page.screenshot({ path: `${shots}/claimant.png` });

  // The watched feed (`serve --watch`): its source, last fetch, status and articles.
  let articles = 0;
  await page.goto(`${base}/#/sources`);
  for (let tries = 0; tries < 40 && articles === 0; tries++) {
    if (tries) await page.reload();
    await page.waitForSelector("[data-testid=sources-title]");
    articles = Number(await page.locator("[data-testid=source-articles]").first().textContent().catch(() => "0"));
    if (!articles) await page.waitForTimeout(500);
  }
  check(articles === 2, `the sources page shows the watched feed's articles (${articles})`);
  check((await page.locator("[data-testid=source-status]").first().textContent()) === "ok", "and its status");
  await page.screenshot({ path: `${shots}/sources.png` });
} catch (e) {
  check(false, `the test ran to the end (${e.message})`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.log(`${failures.length} failed`);
  process.exit(1);
}
console.log(`all passed; screenshots in ${shots}`);
