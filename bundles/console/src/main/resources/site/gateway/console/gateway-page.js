// The Gateway page's live part: redraws the health table and the last hour's charts (plain SVG, no library,
// nothing fetched from elsewhere) from the page's own JSON, first the copy embedded in the page, then every 5 s.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var HOUR = 3600 * 1000;

  function node(name, attrs, text) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function niceMax(v) {
    if (!(v > 0)) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * p >= v) { return steps[i] * p; } }
    return 10 * p;
  }

  function chart(id, now, ts, values, color) {
    var svg = document.getElementById(id);
    if (!svg) { return; }
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var W = 600, H = 160, L = 56, R = 8, T = 8, B = 22;
    var max = 0, points = [];
    for (var i = 0; i < ts.length; i++) {
      if (values[i] !== null && isFinite(values[i])) { max = Math.max(max, values[i]); }
    }
    max = niceMax(max);
    for (var j = 0; j < ts.length; j++) {
      if (values[j] === null || !isFinite(values[j]) || now - ts[j] > HOUR) { continue; }
      var x = L + (W - L - R) * (1 - (now - ts[j]) / HOUR);
      var y = T + (H - T - B) * (1 - values[j] / max);
      points.push(x.toFixed(1) + ',' + y.toFixed(1));
    }
    svg.appendChild(node('rect', {x: L, y: T, width: W - L - R, height: H - T - B, fill: '#fafafa', stroke: '#ccc'}));
    [0, 0.5, 1].forEach(function (f) {
      var y = T + (H - T - B) * (1 - f);
      svg.appendChild(node('line', {x1: L, x2: W - R, y1: y, y2: y, stroke: '#e4e4e4'}));
      svg.appendChild(node('text', {x: L - 4, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#555'},
        String(Math.round(max * f * 100) / 100)));
    });
    [['-60 min', L, 'start'], ['-30 min', L + (W - L - R) / 2, 'middle'], ['now', W - R, 'end']].forEach(function (a) {
      svg.appendChild(node('text', {x: a[1], y: H - 6, 'text-anchor': a[2], 'font-size': 11, fill: '#555'}, a[0]));
    });
    if (points.length > 1) {
      svg.appendChild(node('polyline', {points: points.join(' '), fill: 'none', stroke: color, 'stroke-width': 2,
        'class': 'series'}));
    } else {
      svg.appendChild(node('text', {x: (W + L) / 2, y: H / 2, 'text-anchor': 'middle', 'font-size': 12, fill: '#888'},
        'collecting (one point every 10 s)'));
    }
  }

  function health(lines) {
    var body = document.querySelector('#gateway-health tbody');
    if (!body || !lines) { return; }
    while (body.firstChild) { body.removeChild(body.firstChild); }
    lines.forEach(function (l) {
      var tr = document.createElement('tr');
      tr.className = 'hc-' + l.status;
      [l.name, l.status, l.message].forEach(function (v) {
        var td = document.createElement('td');
        td.textContent = v;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function apply(live) {
    health(live.health);
    // the first table's "State" row (the page is rendered by the server, the script updates it)
    var first = document.querySelector('#gateway-page table');
    if (first && live.state) {
      Array.prototype.forEach.call(first.querySelectorAll('tr'), function (tr) {
        var th = tr.querySelector('th'), td = tr.querySelector('td');
        if (th && td && th.textContent === 'State') { td.textContent = live.state; }
      });
    }
    var h = live.history || {ts: [], rate: [], depth: []};
    chart('chart-rate', live.now, h.ts, h.rate, '#2a7ab0');
    chart('chart-depth', live.now, h.ts, h.depth, '#c0622a');
    var updated = document.getElementById('gateway-updated');
    if (updated) { updated.textContent = 'Updated ' + new Date(live.now).toISOString().substring(11, 19) + ' UTC'; }
  }

  var embedded = document.getElementById('gateway-live');
  if (embedded) { apply(JSON.parse(embedded.textContent)); }
  var url = window.location.pathname.replace(/\/$/, '') + '/live.json';
  setInterval(function () {
    fetch(url, {credentials: 'same-origin', headers: {'X-Requested-With': 'XMLHttpRequest'}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (live) { if (live) { apply(live); } })
      .catch(function () { /* the next round tries again */ });
  }, 5000);
})();
