// sitrep's web UI: the events on a map and a timeline, the claims ledger, the entities, and
// each article with what was extracted from it highlighted and explained. It reads the same
// JSON API as any other client (/api/openapi.json) and needs nothing from the network: the
// basemap is country outlines shipped with it; a tile layer is optional (?tiles=URL, kept).
import L from "leaflet";
import "leaflet.markercluster";
import { feature } from "topojson-client";

const MODES = ["occurred", "ongoing", "planned", "threatened", "predicted", "alleged", "denied", "negated", "hypothetical"];
const TYPES = ["AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "ACCUSE", "REQUEST",
  "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT", "OTHER"];
const MAX_EVENTS = 10000;
const color = (mode) => getComputedStyle(document.documentElement).getPropertyValue(`--${mode}`).trim() || "#555";
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const $ = (sel) => document.querySelector(sel);

async function api(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null));
  const response = await fetch(`${path}${query.size ? "?" + query : ""}`);
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message ?? response.statusText);
  return body;
}

/// Every page of a list, up to `cap` items.
async function all(path, params, cap = MAX_EVENTS) {
  const items = [];
  let total = 0;
  do {
    const page = await api(path, { ...params, limit: 1000, offset: items.length });
    items.push(...page.items);
    total = page.total;
    if (!page.items.length) break;
  } while (items.length < Math.min(total, cap));
  return { items, total };
}

// ---- filters -------------------------------------------------------------------------------
const form = $("#filters");
for (const t of TYPES) form.type.append(new Option(t, t));
for (const m of MODES) form.mode.append(new Option(m, m));
const state = { events: [], total: 0, day: null };
function filters() {
  const f = Object.fromEntries(new FormData(form));
  return { actor: f.actor, type: f.type, mode: f.mode, outlet: f.outlet, since: f.since, until: f.until };
}
let pending;
form.addEventListener("input", () => { clearTimeout(pending); pending = setTimeout(reload, 250); });
form.addEventListener("reset", () => setTimeout(() => { state.day = null; reload(); }, 0));

// ---- map -----------------------------------------------------------------------------------
const map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 16 }).setView([35.8, 36.6], 8);
const tiles = new URLSearchParams(location.search).get("tiles") ?? localStorage.getItem("sitrep.tiles");
if (tiles) {
  localStorage.setItem("sitrep.tiles", tiles);
  L.tileLayer(tiles, { maxZoom: 18, attribution: "tiles: your configured server" }).addTo(map);
}
// The shipped country outlines: the basemap, and the areas of events placed only to a country.
let countryShapes = [];
fetch("/assets/countries.json").then((r) => r.json()).then((topo) => {
  const countries = feature(topo, topo.objects.countries);
  countryShapes = countries.features;
  L.geoJSON(countries, { style: { color: "#7f8c8d", weight: 1, fillColor: "#f4f1e8", fillOpacity: tiles ? 0 : 1 }, interactive: false })
    .addTo(map).bringToBack();
  if (state.events.length) drawEvents();
});
const areasLayer = L.layerGroup().addTo(map);

/// Whether [lon, lat] lies inside a ring of [lon, lat] points (even-odd rule).
function inRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/// The shipped country outline holding a point, if any.
function countryAt(lat, lon) {
  return countryShapes.find((f) => {
    const g = f.geometry;
    const polygons = g?.type === "Polygon" ? [g.coordinates] : g?.type === "MultiPolygon" ? g.coordinates : [];
    return polygons.some(([outer, ...holes]) => inRing([lon, lat], outer) && !holes.some((h) => inRing([lon, lat], h)));
  });
}
const clusters = L.markerClusterGroup({ maxClusterRadius: 40, disableClusteringAtZoom: 11 }).addTo(map);
const placesLayer = L.layerGroup().addTo(map);
$("#legend").innerHTML = MODES.map((m) => `<div><span class="dot" style="background:${color(m)}"></span>${m}</div>`).join("")
  + `<div><span class="dot country-swatch"></span>events placed only to a country</div><div><span class="dot region-swatch"></span>events placed only to a region (its box)</div><div><span class="dot place-point"></span>place</div><div><span class="dot place-unresolved"></span>place no gazetteer has (at its region)</div>`;

async function drawPlaces() {
  const { items } = await all("/api/entities", { kind: "place" }, 2000);
  placesLayer.clearLayers();
  for (const p of items) {
    if (p.line?.length) {
      L.polyline(p.line, { color: "#2c3e50", weight: 3, opacity: 0.7 }).bindTooltip(p.name).addTo(placesLayer);
    }
    if (p.lat == null || p.lon == null) continue;
    const icon = L.divIcon({ className: p.resolved ? "place-point" : "place-unresolved", iconSize: p.resolved ? [8, 8] : [14, 14] });
    const note = p.resolved ? "" : " — no gazetteer has it; shown at the region that contains it";
    L.marker([p.lat, p.lon], { icon, title: p.name })
      .bindTooltip(`${esc(p.name)}${note} (${p.articles} article${p.articles === 1 ? "" : "s"})`)
      .on("click", () => (location.hash = `#/entity/${encodeURIComponent(p.name)}`))
      .addTo(placesLayer);
  }
}

function visibleEvents() {
  const text = new FormData(form).get("text")?.toLowerCase() ?? "";
  return state.events.filter((e) => (!state.day || day(e) === state.day)
    && (!text || `${e.text} ${e.actors.join(" ")} ${e.targets.join(" ")} ${e.location ?? ""}`.toLowerCase().includes(text)));
}
const day = (e) => (e.event_date ?? e.published ?? "").slice(0, 10) || null;

function drawEvents() {
  const events = visibleEvents();
  clusters.clearLayers();
  areasLayer.clearLayers();
  const placed = events.filter((e) => e.latitude != null);
  // An event known only to its country is drawn as the country, one known only to a region
  // as the region's box — not as a pin in the middle, which would claim a precision it lacks.
  const countries = new Map();
  const regions = new Map();
  const pins = [];
  const add = (map, key, e) => map.set(key, [...(map.get(key) ?? []), e]);
  for (const e of placed) {
    const shape = e.geo_precision === "country" ? countryAt(e.latitude, e.longitude) : null;
    if (shape) add(countries, shape, e);
    else if (e.geo_precision === "region" && e.extent) add(regions, `${e.location}|${JSON.stringify(e.extent)}`, e);
    else pins.push(e);
  }
  clusters.addLayers(pins.map((e) => L.circleMarker([e.latitude, e.longitude], {
    radius: 7, color: "#fff", weight: 1, fillColor: color(e.mode), fillOpacity: 0.9,
  }).bindPopup(eventHtml(e)).on("popupopen", (ev) => ev.popup.getElement().querySelector("a")?.focus())));
  for (const [shape, list] of countries) {
    drawArea((style) => L.geoJSON(shape, { style }), list, "country-area", `${shape.properties?.name ?? ""}`, "the country");
  }
  for (const list of regions.values()) {
    const x = list[0].extent;
    // A box across the antimeridian runs on past 180° east.
    const east = x.east < x.west ? x.east + 360 : x.east;
    drawArea((style) => L.rectangle([[x.south, x.west], [x.north, east]], { ...style, dashArray: "5 4" }),
      list, "region-area", list[0].location ?? "", "the region (its box)");
  }
  const capped = state.total > state.events.length ? ` (first ${state.events.length} of ${state.total})` : "";
  $("#count").textContent = `${events.length} events, ${placed.length} on the map${capped}`;
  if (route().name === "map") showEventList(events);
}

/// An area holding events placed only to it, coloured by their commonest mode.
function drawArea(layer, list, className, name, what) {
  const modes = list.map((e) => e.mode);
  const mode = modes.sort((a, b) => modes.filter((m) => m === b).length - modes.filter((m) => m === a).length)[0];
  layer({ color: color(mode), weight: 2, fillColor: color(mode), fillOpacity: 0.15, className })
    .bindTooltip(`${esc(name)}: ${list.length} event${list.length === 1 ? "" : "s"} placed only to ${what}`)
    .bindPopup(list.slice(0, 20).map(eventHtml).join("<hr>"))
    .addTo(areasLayer);
}

function eventHtml(e) {
  const who = e.actors.length ? e.actors.join(" + ") : e.actor_text ? `“${e.actor_text}” (uncoded)` : "?";
  const claim = e.claimed_by ? ` — claimed by ${esc(e.claimed_by)} (${esc(e.claim_form)})` : "";
  return `<div><b>${esc(e.type)}</b>${e.subtype ? ` · ${esc(e.subtype)}` : ""} <span style="color:${color(e.mode)}">${esc(e.mode)}</span></div>
    <div>${esc(who)} → ${esc(e.targets.join(" + ") || "?")}${e.location ? ` @ ${esc(e.location)}` : ""}</div>
    <div class="meta">“${esc(e.text)}”${claim} · ${esc(day(e) ?? "undated")} · ${esc(e.outlet ?? "")}</div>
    <a href="#/article/${e.article_id}/${e.event_id}">open the article</a>`;
}

function showEventList(events) {
  $("#side").innerHTML = `<h2>Events</h2>${state.day ? `<p>On ${state.day} (click the day again to clear)</p>` : ""}`
    + events.slice(0, 300).map((e) => `<div class="event" style="border-color:${color(e.mode)}" data-href="#/article/${e.article_id}/${e.event_id}">${eventHtml(e)}</div>`).join("");
  for (const div of document.querySelectorAll(".event[data-href]")) div.addEventListener("click", () => (location.hash = div.dataset.href));
}

// ---- timeline ------------------------------------------------------------------------------
function drawTimeline() {
  const box = $("#timeline");
  const byDay = new Map();
  for (const e of state.events) {
    const d = day(e);
    if (!d || d.length < 10) continue;
    const counts = byDay.get(d) ?? Object.fromEntries(MODES.map((m) => [m, 0]));
    counts[e.mode] = (counts[e.mode] ?? 0) + 1;
    byDay.set(d, counts);
  }
  const days = [...byDay.keys()].sort();
  if (!days.length) { box.innerHTML = "<p style='padding:8px'>No dated events.</p>"; return; }
  const first = Date.parse(days[0]), last = Date.parse(days.at(-1));
  const span = Math.max(1, (last - first) / 86400000 + 1);
  const width = box.clientWidth || 800, height = 80, w = Math.max(2, width / span - 1);
  const max = Math.max(...[...byDay.values()].map((c) => Object.values(c).reduce((a, b) => a + b, 0)));
  let bars = "";
  for (const [d, counts] of byDay) {
    const x = ((Date.parse(d) - first) / 86400000) * (width / span);
    let y = height;
    for (const m of MODES) {
      const h = (counts[m] / max) * (height - 14);
      if (!h) continue;
      y -= h;
      bars += `<rect class="bar" data-day="${d}" x="${x}" y="${y}" width="${w}" height="${h}" fill="${color(m)}"><title>${d}: ${counts[m]} ${m}</title></rect>`;
    }
    if (d === state.day) bars += `<rect class="selected" x="${x - 1}" y="0" width="${w + 2}" height="${height}"/>`;
  }
  box.innerHTML = `<svg width="${width}" height="${height + 10}"><text x="2" y="10" font-size="10">${days[0]}</text>
    <text x="${width - 60}" y="10" font-size="10">${days.at(-1)}</text>${bars}</svg>`;
  for (const rect of box.querySelectorAll("rect.bar")) {
    rect.addEventListener("click", () => { state.day = state.day === rect.dataset.day ? null : rect.dataset.day; drawTimeline(); drawEvents(); });
  }
}

async function reload() {
  try {
    const { items, total } = await all("/api/events", filters());
    state.events = items;
    state.total = total;
    drawTimeline();
    drawEvents();
  } catch (e) {
    $("#count").innerHTML = `<span class="error">${esc(e.message)}</span>`;
  }
  if (route().name !== "map") render();
}

// ---- claims, entities, articles -------------------------------------------------------------
async function showClaims() {
  const f = filters();
  const { items, total } = await all("/api/claims", { by: f.actor, outlet: f.outlet, since: f.since, until: f.until }, 3000);
  const bySpeaker = new Map();
  for (const c of items) bySpeaker.set(c.speaker, [...(bySpeaker.get(c.speaker) ?? []), c]);
  const speakers = [...bySpeaker.entries()].sort((a, b) => b[1].length - a[1].length);
  $("#side").innerHTML = `<h2 data-testid="claims-title">Claims ledger</h2><p>${total} claims by ${speakers.length} speakers</p>`
    + speakers.map(([speaker, claims]) => `<div class="speaker"><h3>${esc(speaker)} <small>(${claims.length})</small></h3>`
      + claims.map((c) => `<div class="claim"><span class="kind">${esc(c.kind)}</span> · ${esc(c.form)} · ${esc(c.cue)}
        ${c.tags.map((t) => `<span class="tag">${esc(t)}</span>`).join("")}
        <div>${esc(c.text.slice(0, 300))}${c.text.length > 300 ? "…" : ""}</div>
        <div class="meta">${esc(c.date ?? c.published ?? "undated")} · via ${esc(c.chain.join(" → "))}
        ${c.events.length ? ` · events: ${esc(c.events.join(", "))}` : ""} · <a href="#/article/${c.article_id}">article</a></div></div>`).join("")
      + "</div>").join("");
}

async function showEntities() {
  const page = await api("/api/entities", { name: filters().actor, limit: 300 });
  $("#side").innerHTML = `<h2>Entities</h2><p>${page.total} entities</p><ul>`
    + page.items.map((e) => `<li><a href="#/entity/${encodeURIComponent(e.name)}">${esc(e.name)}</a> <span class="meta">${esc(e.kind)}${e.code ? ` · ${esc(e.code)}` : ""} · ${e.articles} articles</span></li>`).join("")
    + "</ul>";
}

async function showEntity(name) {
  const { items, total } = await all("/api/events", { actor: name }, 2000);
  const claims = await api("/api/claims", { by: name, limit: 100 });
  $("#side").innerHTML = `<h2>${esc(name)}</h2><p>${total} events naming it; ${claims.total} claims by it</p>`
    + items.slice(0, 200).map((e) => `<div class="event" style="border-color:${color(e.mode)}">${eventHtml(e)}</div>`).join("")
    + (claims.items.length ? `<h3>Its claims</h3>` + claims.items.map((c) => `<div class="claim"><span class="kind">${esc(c.kind)}</span> ${esc(c.text.slice(0, 240))} <a href="#/article/${c.article_id}">article</a></div>`).join("") : "");
  const placed = items.filter((e) => e.latitude != null);
  if (placed.length) map.fitBounds(placed.map((e) => [e.latitude, e.longitude]), { maxZoom: 10, padding: [30, 30] });
}

// ---- claims over time: threads, predictions, claimants ---------------------------------------
const badge = (word) => `<span class="badge" style="background:${color(word)}">${esc(word)}</span>`;
const predictionLayer = L.layerGroup().addTo(map);

async function showThreads() {
  const { items, total } = await all("/api/threads", { by: filters().actor }, 2000);
  $("#side").innerHTML = `<h2 data-testid="threads-title">Claim threads</h2><p>${total} claims carried by two or more statements</p>`
    + items.map((t) => `<div class="thread"><a href="#/thread/${t.thread}">${esc(t.speaker ?? "?")}</a>
      <span class="meta">first seen ${esc(t.first_seen ?? "undated")} · ${t.claims.length} statements · ${esc(t.outlets.join(", "))}</span>
      <div>${t.claims.map((c) => badge(c.relation)).join("")}</div>
      <div>${esc(t.claims[0].text.slice(0, 200))}</div></div>`).join("");
}

/// A thread: who said what when, as a timeline and a list, with the outcome of what it predicted.
async function showThread(id) {
  const page = await api("/api/threads", { thread: id, min_claims: 1 });
  const t = page.items[0];
  if (!t) throw new Error(`no thread ${id}`);
  const { items: outcomes } = await all("/api/predictions", { thread: id }, 500);
  const dated = t.claims.filter((c) => c.date);
  const days = dated.map((c) => Date.parse(c.date));
  const [first, last] = [Math.min(...days), Math.max(...days)];
  const width = 460, span = Math.max(1, last - first);
  const points = dated.map((c, i) => {
    const x = 20 + ((Date.parse(c.date) - first) / span) * (width - 40);
    const y = 20 + (i % 4) * 18;
    return `<circle cx="${x}" cy="${y}" r="6" fill="${color(c.relation)}"><title>${esc(c.date)} ${esc(c.relation)}: ${esc(c.speaker ?? "?")} (${esc(c.outlet ?? "")})</title></circle>
      <text x="${x > width / 2 ? x - 9 : x + 9}" y="${y + 4}" text-anchor="${x > width / 2 ? "end" : "start"}">${esc((c.speaker ?? "?").slice(0, 28))}</text>`;
  }).join("");
  $("#side").innerHTML = `<p><a href="#/threads">← threads</a></p><h2 data-testid="thread-title">${esc(t.speaker ?? "?")}: a claim across ${t.outlets.length} outlets</h2>
    <p class="meta">first seen ${esc(t.first_seen ?? "undated")} · thread ${esc(t.thread)}</p>
    <svg class="thread-timeline" data-testid="thread-timeline" width="${width}" height="100">
      <line x1="20" y1="90" x2="${width - 20}" y2="90" stroke="#999"/>
      <text x="20" y="100">${esc(dated[0]?.date ?? "")}</text><text x="${width - 90}" y="100">${esc(dated.at(-1)?.date ?? "")}</text>${points}</svg>
    ${outcomes.length ? `<h3>What it predicted, and what followed</h3>` + outcomes.map(predictionHtml).join("") : ""}
    <h3>Who said it</h3>`
    + t.claims.map((c) => `<div class="claim" style="border-color:${color(c.relation)}">${badge(c.relation)} <b>${esc(c.speaker ?? "?")}</b>
      <span class="meta">${esc(c.date ?? "undated")} · ${esc(c.outlet ?? "")} · ${esc(c.kind)}</span>
      <div>${esc(c.text.slice(0, 300))}</div>
      <div class="meta">${esc(c.rule)} · <a href="#/article/${c.article}">article</a></div></div>`).join("");
}

function predictionHtml(p) {
  const evidence = p.evidence.slice(0, 5).map((e) => `<a href="#/article/${e.article}/${e.event}">${esc(e.relation)}</a>`).join(", ");
  return `<div class="prediction" style="border-color:${color(p.status)}">${badge(p.status)} <b>${esc(p.type)}</b> ${esc(p.mode)} “${esc(p.text)}”${p.place ? ` @ ${esc(p.place)}` : ""}
    <div class="meta">claimed by ${esc(p.speaker ?? p.outlet ?? "?")} on ${esc(p.said ?? "?")} · due ${esc(p.due ?? "?")} (${esc(p.due_basis ?? "")})</div>
    <div class="meta">${esc(p.rule)}${evidence ? ` · ${evidence}` : ""} · <a href="#/article/${p.article}/${p.event}">article</a></div></div>`;
}

/// Predictions with their status, on the map (squares by status) and on a timeline from when
/// each was said to when it was due.
async function showPredictions() {
  const { items } = await all("/api/predictions", {}, 5000);
  predictionLayer.clearLayers();
  for (const p of items.filter((p) => p.latitude != null)) {
    const icon = L.divIcon({ className: "", html: `<div style="width:12px;height:12px;background:${color(p.status)};border:2px solid #fff"></div>`, iconSize: [12, 12] });
    L.marker([p.latitude, p.longitude], { icon, title: `${p.status}: ${p.text}` }).bindPopup(predictionHtml(p)).addTo(predictionLayer);
  }
  const dated = items.filter((p) => p.said && p.due);
  const first = Math.min(...dated.map((p) => Date.parse(p.said))), last = Math.max(...dated.map((p) => Date.parse(p.due)));
  const width = 460, span = Math.max(1, last - first), x = (d) => 10 + ((Date.parse(d) - first) / span) * (width - 20);
  const bars = dated.map((p, i) => `<rect x="${x(p.said)}" y="${4 + i * 9}" width="${Math.max(2, x(p.due) - x(p.said))}" height="7" fill="${color(p.status)}"><title>${esc(p.status)}: ${esc(p.text)} (${esc(p.said)} → ${esc(p.due)})</title></rect>`).join("");
  const counts = {};
  for (const p of items) counts[p.status] = (counts[p.status] ?? 0) + 1;
  $("#side").innerHTML = `<h2 data-testid="predictions-title">Predictions</h2>
    <p>${Object.entries(counts).map(([s, n]) => `${badge(s)}${n}`).join(" ")}</p>
    <svg data-testid="predictions-timeline" width="${width}" height="${8 + dated.length * 9}">${bars}</svg>`
    + items.map(predictionHtml).join("");
}

function chartRow(label, counts) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (!total) return "";
  const parts = Object.entries(counts).map(([k, n]) => `<span style="width:${n * 14}px;background:${color(k)}" title="${esc(k)}: ${n}"></span>`).join("");
  return `<div class="chart-row"><span class="label">${esc(label)}</span><span class="bar">${parts}</span>
    <span class="meta">${Object.entries(counts).map(([k, n]) => `${esc(k)} ${n}`).join(", ")}</span></div>`;
}

function claimantHtml(c) {
  return `<div class="claimant"><a href="#/claimant/${encodeURIComponent(c.speaker)}">${esc(c.speaker)}</a>
    <span class="meta">${esc(c.first_seen ?? "")} – ${esc(c.last_seen ?? "")} · denials made ${c.denials_made}, received ${c.denials_received}</span>
    <div class="record" data-testid="record">${chartRow("claims", c.claims)}${chartRow("predictions", c.predictions)}${chartRow("allegations", c.allegations)}</div></div>`;
}

async function showClaimants() {
  const page = await api("/api/claimants", { by: filters().actor, limit: 200 });
  $("#side").innerHTML = `<h2 data-testid="claimants-title">Claimants</h2><p>${page.total} speakers, most claims first</p>` + page.items.map(claimantHtml).join("");
}

async function showClaimant(name) {
  const page = await api("/api/claimants", { by: name, limit: 50 });
  const c = page.items.find((r) => r.speaker === name) ?? page.items[0];
  if (!c) throw new Error(`no claimant ${name}`);
  const threads = await api("/api/threads", { by: name, limit: 50 });
  $("#side").innerHTML = `<p><a href="#/claimants">← claimants</a></p><h2 data-testid="claimant-title">${esc(c.speaker)}</h2>${claimantHtml(c)}
    <h3>Threads they take part in</h3>` + threads.items.map((t) => `<div class="thread"><a href="#/thread/${t.thread}">${esc(t.claims[0].text.slice(0, 160))}</a>
      <div>${t.claims.map((m) => badge(m.relation)).join("")}</div></div>`).join("");
}

/// Byte offsets (the document's spans) to string indices.
function byteIndex(text) {
  const index = [];
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i);
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < size; k++) index[bytes + k] = i;
    bytes += size;
    if (code >= 0x10000) i++;
  }
  index[bytes] = text.length;
  return index;
}

async function showArticle(id, focus) {
  const doc = await api(`/api/articles/${encodeURIComponent(id)}`);
  // Empty layers and lists are left out of the JSON.
  for (const layer of ["mentions", "entities", "statements", "events"]) doc[layer] ??= [];
  const text = doc.article.text;
  const at = byteIndex(text);
  const entity = Object.fromEntries(doc.entities.map((e) => [e.id, e]));
  const names = (ids) => (ids ?? []).map((i) => entity[i]?.name ?? i).join(" + ") || "?";
  const spans = [
    ...doc.statements.map((s) => ({ ...s, layer: "statement", tip: `statement ${s.id}: ${s.kind}, ${s.form}, cue “${s.cue}”\nspeaker: ${s.speaker ? entity[s.speaker]?.name : s.speaker_text ?? "the outlet"}\nvia ${(s.chain ?? []).join(" → ")}${s.tags?.length ? `\ntags: ${s.tags.join(", ")}` : ""}` })),
    ...doc.mentions.map((m) => ({ ...m, layer: "mention", tip: `${m.kind}${m.entity ? ` → ${entity[m.entity]?.name} (${entity[m.entity]?.kind}${entity[m.entity]?.code ? ", " + entity[m.entity].code : ""})` : ""}\nrule: ${m.rule}` })),
    ...doc.events.map((e) => ({ ...e, layer: "event", tip: `event ${e.id}: ${e.type}${e.subtype ? " · " + e.subtype : ""}, ${e.mode}\n${names(e.actors)} → ${names(e.targets)}${e.location ? " @ " + entity[e.location]?.name : ""}\nrule: ${e.rule}` })),
  ].filter((s) => at[s.start] != null && at[s.end] != null);
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [at[s.start], at[s.end]])])].sort((a, b) => a - b);
  const layers = ["event", "mention", "statement"];
  let html = "";
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [from, to] = [cuts[k], cuts[k + 1]];
    const covering = spans.filter((s) => at[s.start] <= from && to <= at[s.end]);
    const piece = esc(text.slice(from, to));
    if (!covering.length) { html += piece; continue; }
    const top = layers.find((l) => covering.some((s) => s.layer === l));
    const focused = covering.some((s) => s.layer === "event" && s.id === focus);
    const tip = covering.map((s) => s.tip).join("\n\n");
    const link = covering.find((s) => s.layer === "mention" && s.entity);
    html += `<mark class="${top}${focused ? " focus" : ""}" data-tip="${esc(tip)}"${link ? ` data-entity="${esc(entity[link.entity]?.name)}"` : ""}${focused ? ' data-testid="focused-event"' : ""}>${piece}</mark>`;
  }
  const a = doc.article;
  $("#side").innerHTML = `<p><a href="#/">← map</a></p><h2>${esc(a.title ?? "Article")}</h2>
    <p class="meta">${esc(a.outlet ?? "")} · ${esc(a.published?.value ?? "undated")}${a.url ? ` · <a href="${esc(a.url)}" rel="noreferrer">source</a>` : ""}</p>
    <p class="meta"><mark class="event">event</mark> <mark class="mention">mention</mark> <mark class="statement">statement</mark> — hover to see what was extracted and by which rule; click a name for its page</p>
    <article class="doc" data-testid="article">${html}</article>
    <h3>Entities</h3><ul>${doc.entities.map((e) => `<li><a href="#/entity/${encodeURIComponent(e.name)}">${esc(e.name)}</a> <span class="meta">${esc(e.kind)}${e.code ? " · " + esc(e.code) : ""}</span></li>`).join("")}</ul>`;
  for (const m of document.querySelectorAll("article.doc mark[data-entity]")) {
    m.addEventListener("click", () => (location.hash = `#/entity/${encodeURIComponent(m.dataset.entity)}`));
  }
  document.querySelector("mark.focus")?.scrollIntoView({ block: "center" });
  const placed = doc.events.map((e) => entity[e.location]).filter((p) => p?.lat != null);
  if (placed.length) map.fitBounds(placed.map((p) => [p.lat, p.lon]), { maxZoom: 10, padding: [30, 30] });
}

const tip = document.createElement("div");
tip.id = "tip";
document.body.append(tip);
document.addEventListener("mouseover", (ev) => {
  const m = ev.target.closest?.("mark[data-tip]");
  tip.style.display = m ? "block" : "none";
  if (m) tip.textContent = m.dataset.tip;
});
// ---- sources -------------------------------------------------------------------------------
const ago = (t) => (t ? new Date(t).toLocaleString() : "never");
async function showSources() {
  const page = await api("/api/sources", { limit: 1000 });
  const state = (s) => (s.dead ? "dead" : !s.listed ? "not listed" : s.failures ? "failing" : s.last_fetch ? "ok" : "waiting");
  const rows = page.items.map((s) => `<tr class="source ${state(s)}" data-testid="source">
      <td><a href="${esc(s.url)}" rel="noreferrer">${esc(s.url)}</a>${s.feed_url ? `<div class="meta">feed found: ${esc(s.feed_url)}</div>` : ""}
        <div class="meta">${esc(s.kind)} · every ${Math.round(s.every_secs / 60)} min · next ${esc(ago(s.next_due))}</div></td>
      <td><span class="badge">${esc(state(s))}</span><div class="meta" data-testid="source-status">${esc(s.last_status ?? "")}</div></td>
      <td>${esc(ago(s.last_fetch))}</td>
      <td class="num" data-testid="source-articles">${s.articles}</td><td class="num">${s.sightings}</td></tr>`).join("");
  $("#side").innerHTML = `<h2 data-testid="sources-title">Sources</h2>
    <p>${page.total} web source${page.total === 1 ? "" : "s"} watched (<code>sitrep watch FILE</code> or <code>sitrep serve --watch FILE</code>)</p>
    ${page.total ? `<table class="sources"><thead><tr><th>source</th><th>status</th><th>last fetch</th><th>articles</th><th>copies</th></tr></thead><tbody>${rows}</tbody></table>` : ""}`;
}

document.addEventListener("mousemove", (ev) => { tip.style.left = `${ev.clientX + 12}px`; tip.style.top = `${ev.clientY + 12}px`; });

// ---- routes --------------------------------------------------------------------------------
function route() {
  const [, name = "map", ...rest] = location.hash.replace(/^#\/?/, "#/").split("/");
  return { name: name || "map", args: rest.map(decodeURIComponent) };
}
async function render() {
  const { name, args } = route();
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.tab === name);
  try {
    if (name !== "predictions") predictionLayer.clearLayers();
    if (name === "claims") await showClaims();
    else if (name === "threads") await showThreads();
    else if (name === "thread") await showThread(args[0]);
    else if (name === "predictions") await showPredictions();
    else if (name === "claimants") await showClaimants();
    else if (name === "claimant") await showClaimant(args[0]);
    else if (name === "entities") await showEntities();
    else if (name === "entity") await showEntity(args[0]);
    else if (name === "article") await showArticle(args[0], args[1]);
    else if (name === "sources") await showSources();
    else showEventList(visibleEvents());
  } catch (e) {
    $("#side").innerHTML = `<p class="error">${esc(e.message)}</p>`;
  }
}
window.addEventListener("hashchange", render);
window.addEventListener("resize", drawTimeline);
drawPlaces();
reload();
