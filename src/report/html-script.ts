// The HTML report's script (inline: the page fetches nothing). It does two
// things: the filters, which only set classes on <body> (one CSS rule per
// engine and outcome hides the rows, however many there are), and the
// groups of expected failures and of skips, whose rows it builds from the
// embedded data when a group opens.
// Plain ES2017, no framework: it is read in a browser and in jsdom.

export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var PAGE = 1000;
  var body = document.body;

  function hidden(kind, value) { return body.classList.contains('hide-' + kind + '-' + value); }

  function applyFilters() {
    var boxes = document.querySelectorAll('input[data-filter]');
    for (var i = 0; i < boxes.length; i++) {
      var b = boxes[i];
      body.classList.toggle('hide-' + b.getAttribute('data-filter') + '-' + b.value, !b.checked);
    }
    body.classList.toggle('problem-files-only', document.getElementById('problem-files-only').checked);
    // A group shows how many of its entries the filters leave, and hides when none.
    var groups = document.querySelectorAll('details.group');
    for (var g = 0; g < groups.length; g++) {
      var el = groups[g];
      var group = data.groups[Number(el.getAttribute('data-group'))];
      var entries = group.entries;
      var n = 0;
      if (!hidden('outcome', group.outcome)) for (var k = 0; k < entries.length; k++) if (!hidden('engine', entries[k][3])) n++;
      el.querySelector('.count').textContent = String(n);
      el.hidden = n === 0;
    }
  }

  function cell(tr, text) { var td = document.createElement('td'); td.textContent = text; tr.appendChild(td); return td; }

  // Appends up to 'limit' more rows of group 'el' (all when limit is Infinity).
  function renderRows(el, limit) {
    var group = data.groups[Number(el.getAttribute('data-group'))];
    var entries = group.entries;
    var tbody = el.querySelector('tbody');
    var start = tbody.children.length;
    var end = Math.min(entries.length, start + limit);
    var frag = document.createDocumentFragment();
    for (var i = start; i < end; i++) {
      var e = entries[i];
      var tr = document.createElement('tr');
      tr.setAttribute('data-engine', e[3]);
      tr.setAttribute('data-outcome', group.outcome);
      cell(tr, e[0] + ':' + e[1]);
      cell(tr, e[2]);
      cell(tr, e[3]);
      if (group.outcome === 'expected') {
        var eg = cell(tr, '');
        // A module or action expects only to succeed: it has no 'expected' of its own.
        if (e[4] !== '') { var pe = document.createElement('pre'); pe.className = 'expected'; pe.textContent = 'expected: ' + e[4]; eg.appendChild(pe); }
        var pg = document.createElement('pre'); pg.className = 'got'; pg.textContent = 'got: ' + e[5];
        eg.appendChild(pg);
      }
      var src = data.sources[e[0]] && data.sources[e[0]][e[1]];
      var td = cell(tr, '');
      if (src !== undefined) {
        var d = document.createElement('details'); d.className = 'source';
        var s = document.createElement('summary'); s.textContent = src.split('\n')[0].slice(0, 80);
        var pre = document.createElement('pre'); pre.textContent = src;
        d.appendChild(s); d.appendChild(pre); td.appendChild(d);
      }
      frag.appendChild(tr);
    }
    tbody.appendChild(frag);
    var more = el.querySelector('.more');
    more.hidden = end >= entries.length;
    more.querySelector('.show-more').textContent = 'show ' + Math.min(PAGE, entries.length - end) + ' more';
    more.querySelector('.show-all').textContent = 'show all ' + entries.length;
  }

  function openGroup(el) {
    if (el.querySelector('tbody').children.length === 0) renderRows(el, PAGE);
  }

  document.addEventListener('change', function (ev) {
    if (ev.target && ev.target.matches && ev.target.matches('#filters input')) applyFilters();
  });
  document.addEventListener('toggle', function (ev) {
    var el = ev.target;
    if (el && el.classList && el.classList.contains('group') && el.open) openGroup(el);
  }, true);
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!t || !t.classList) return;
    var group = t.closest && t.closest('details.group');
    if (!group) return;
    if (t.classList.contains('show-more')) renderRows(group, PAGE);
    if (t.classList.contains('show-all')) renderRows(group, Infinity);
  });

  // For scripts and tests: open group i (its index in the page data) and build its rows at once.
  window.cmrReport = { applyFilters: applyFilters, openGroup: function (i) {
    var el = document.querySelector('details.group[data-group="' + i + '"]');
    el.open = true; openGroup(el); return el;
  }, renderAll: function (i) { var el = this.openGroup(i); renderRows(el, Infinity); return el; } };
  applyFilters();
})();
`;
