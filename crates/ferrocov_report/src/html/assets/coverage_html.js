// ferrocov HTML report: sorting, filtering and totals on the index pages; line highlighting
// and chunk navigation on the source pages; keyboard shortcuts and the light/dark switch on
// both. Choices are remembered in localStorage (per site directory, as the browser scopes it).
// In a one-file report (`--single-file`) every page is a template element named by its
// data-page attribute, and the address's fragment says which is shown: #NAME, or #NAME#tN
// for a line.
"use strict";

(function () {
    // Set once the document is parsed: whether this is a one-file report.
    let single = false;
    // The page of a one-file report now shown.
    let shownPage = null;

    // Goes to a page of the site ("name.html", "name.html#t12").
    function go(url) {
        if (single) {
            window.location.hash = "#" + url;
        } else {
            window.location.href = url;
        }
    }
    const store = {
        get(key, fallback) {
            try {
                const raw = window.localStorage.getItem("ferrocov:" + key);
                return raw === null ? fallback : JSON.parse(raw);
            } catch (e) {
                return fallback;
            }
        },
        set(key, value) {
            try {
                window.localStorage.setItem("ferrocov:" + key, JSON.stringify(value));
            } catch (e) {
                // Storage can be off (private windows, file:// in some browsers): choices are then
                // only kept for this page view.
            }
        },
    };

    // ---- Theme ----------------------------------------------------------------------------

    function applyTheme(theme) {
        if (theme === "light" || theme === "dark") {
            document.documentElement.dataset.theme = theme;
        } else {
            delete document.documentElement.dataset.theme;
        }
    }

    function currentTheme() {
        const set = document.documentElement.dataset.theme;
        if (set) {
            return set;
        }
        return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches
            ? "dark" : "light";
    }

    function toggleTheme() {
        const next = currentTheme() === "dark" ? "light" : "dark";
        applyTheme(next);
        store.set("theme", next);
    }

    applyTheme(store.get("theme", null));

    // ---- Help -----------------------------------------------------------------------------

    function toggleHelp() {
        const help = document.getElementById("help");
        const button = document.getElementById("help-button");
        if (!help) {
            return;
        }
        help.hidden = !help.hidden;
        if (button) {
            button.setAttribute("aria-expanded", String(!help.hidden));
        }
    }

    // ---- Index pages ----------------------------------------------------------------------

    function cellValue(cell) {
        if (cell.dataset.sort !== undefined) {
            return cell.dataset.sort.toLowerCase();
        }
        if (cell.dataset.ratio !== undefined) {
            const [num, den] = cell.dataset.ratio.split(" ").map(Number);
            return den === 0 ? 100 : (100 * num) / den;
        }
        return Number(cell.textContent);
    }

    function setupIndex() {
        const table = document.getElementById("index");
        const tbody = table.tBodies[0];
        const headers = Array.from(table.querySelectorAll("tr.columns th"));
        const rows = Array.from(tbody.rows);
        const kind = document.body.dataset.index;
        const filter = document.getElementById("filter");
        const hideCovered = document.getElementById("hide-covered");
        const noRows = document.getElementById("no-rows");
        const totalRow = table.tFoot.rows[0];
        const serverTotals = Array.from(totalRow.cells).map((c) => c.textContent);

        function sortBy(index, direction) {
            const header = headers[index];
            headers.forEach((h) => h.setAttribute("aria-sort", "none"));
            header.setAttribute("aria-sort", direction);
            const factor = direction === "ascending" ? 1 : -1;
            const keyed = rows.map((row, position) => [cellValue(row.cells[index]), position, row]);
            keyed.sort((a, b) => {
                if (a[0] < b[0]) {
                    return -factor;
                }
                if (a[0] > b[0]) {
                    return factor;
                }
                return a[1] - b[1];
            });
            ordered = keyed.map(([, , row]) => row);
            layout();
            store.set("sort:" + kind, { column: header.id, direction });
        }

        function clickSort(index) {
            const header = headers[index];
            const now = header.getAttribute("aria-sort");
            let direction;
            if (now === "ascending") {
                direction = "descending";
            } else if (now === "descending") {
                direction = "ascending";
            } else {
                direction = header.hasAttribute("data-descending") ? "descending" : "ascending";
            }
            sortBy(index, direction);
        }

        headers.forEach((header, index) => {
            header.tabIndex = 0;
            header.addEventListener("click", () => clickSort(index));
            header.addEventListener("keydown", (event) => {
                if (event.key === "Enter" || event.key === " ") {
                    event.preventDefault();
                    clickSort(index);
                }
            });
        });

        function decimals() {
            const match = /\.(\d+)%/.exec(serverTotals[serverTotals.length - 1]);
            return match ? match[1].length : 0;
        }

        // The percentage as the report rounds it: never "0" or "100" unless it is exactly so.
        function shownPercent(num, den) {
            const places = decimals();
            let pc = den === 0 ? 100 : (100 * num) / den;
            const near0 = Math.pow(10, -places);
            if (pc > 0 && pc < near0) {
                pc = near0;
            } else if (pc < 100 && pc > 100 - near0) {
                pc = 100 - near0;
            }
            return pc.toFixed(places) + "%";
        }

        // Sums of `group`'s cells into `cells` (a total or a folder row): counts add up, and
        // percentages are recomputed from the summed data-ratio pairs.
        function sumInto(cells, group) {
            cells.forEach((cell, i) => {
                if (cell.classList.contains("name")) {
                    return;
                }
                if (cell.dataset.ratio !== undefined) {
                    let num = 0;
                    let den = 0;
                    group.forEach((row) => {
                        const [n, d] = row.cells[i].dataset.ratio.split(" ").map(Number);
                        num += n;
                        den += d;
                    });
                    cell.dataset.ratio = num + " " + den;
                    cell.textContent = shownPercent(num, den);
                } else {
                    cell.textContent = String(
                        group.reduce((sum, row) => sum + Number(row.cells[i].textContent), 0));
                }
            });
        }

        function updateTotals(visible) {
            const cells = Array.from(totalRow.cells);
            if (visible.length === rows.length) {
                cells.forEach((cell, i) => { cell.textContent = serverTotals[i]; });
                return;
            }
            sumInto(cells, visible);
        }

        // ---- The directory tree (file index only): a row per folder, with its totals. ----

        const treeButton = document.getElementById("tree");
        let treeOn = Boolean(treeButton) && store.get("tree", false);
        const collapsed = new Set(store.get("collapsed", []));
        let filteredOut = new Set();

        function folderRow(path, name, depth) {
            const row = document.createElement("tr");
            row.className = "folder";
            row.dataset.path = path;
            totalRow.querySelectorAll("td").forEach((template, i) => {
                const cell = document.createElement("td");
                cell.className = template.className;
                if (template.dataset.ratio !== undefined) {
                    cell.dataset.ratio = "0 0";
                }
                if (i === 0) {
                    const button = document.createElement("button");
                    button.type = "button";
                    button.className = "fold";
                    button.setAttribute("aria-expanded", String(!collapsed.has(path)));
                    button.textContent = name + "/";
                    button.addEventListener("click", () => {
                        if (collapsed.has(path)) {
                            collapsed.delete(path);
                        } else {
                            collapsed.add(path);
                        }
                        store.set("collapsed", Array.from(collapsed));
                        layout();
                    });
                    cell.appendChild(button);
                    cell.style.paddingLeft = (0.7 + depth * 1.2) + "em";
                }
                row.appendChild(cell);
            });
            return row;
        }

        // Puts the rows in the table: sorted, or as a tree whose folders keep the sorted order of
        // their first rows; hides what the filters or a folded folder hide.
        function layout() {
            tbody.querySelectorAll("tr.folder").forEach((row) => row.remove());
            if (treeButton) {
                treeButton.setAttribute("aria-pressed", String(treeOn));
            }
            if (!treeOn) {
                ordered.forEach((row) => {
                    row.cells[0].style.paddingLeft = "";
                    row.hidden = filteredOut.has(row);
                    tbody.appendChild(row);
                });
                return;
            }
            const root = { children: [], folders: new Map() };
            ordered.forEach((row) => {
                const parts = row.cells[0].textContent.trim().split("/");
                let node = root;
                let path = "";
                parts.slice(0, -1).forEach((part) => {
                    path += part + "/";
                    if (!node.folders.has(part)) {
                        const child = { path, name: part, children: [], folders: new Map(), rows: [] };
                        node.folders.set(part, child);
                        node.children.push(child);
                    }
                    node = node.folders.get(part);
                });
                node.children.push(row);
            });
            function emit(node, depth, hiddenAbove) {
                const shown = [];
                node.children.forEach((child) => {
                    if (child instanceof HTMLTableRowElement) {
                        child.cells[0].style.paddingLeft = (0.7 + depth * 1.2) + "em";
                        child.hidden = hiddenAbove || filteredOut.has(child);
                        tbody.appendChild(child);
                        if (!filteredOut.has(child)) {
                            shown.push(child);
                        }
                        return;
                    }
                    const row = folderRow(child.path, child.name, depth);
                    tbody.appendChild(row);
                    const inside = emit(child, depth + 1, hiddenAbove || collapsed.has(child.path));
                    sumInto(Array.from(row.cells), inside);
                    row.hidden = hiddenAbove || inside.length === 0;
                    shown.push(...inside);
                });
                return shown;
            }
            emit(root, 0, false);
        }

        let ordered = rows.slice();

        function applyFilters() {
            const text = filter.value.trim().toLowerCase();
            const hide = hideCovered.checked;
            const visible = [];
            filteredOut = new Set();
            rows.forEach((row) => {
                const names = Array.from(row.querySelectorAll("td.name"))
                    .map((c) => c.textContent.toLowerCase()).join(" ");
                const shown = (!text || names.includes(text))
                    && !(hide && row.classList.contains("covered"));
                if (shown) {
                    visible.push(row);
                } else {
                    filteredOut.add(row);
                }
            });
            layout();
            noRows.hidden = visible.length > 0;
            updateTotals(visible);
            store.set("filter", text);
            if (!hideCovered.disabled) {
                store.set("hide-covered", hide);
            }
        }

        filter.value = store.get("filter", "");
        if (!hideCovered.disabled) {
            hideCovered.checked = store.get("hide-covered", false);
        }
        filter.addEventListener("input", applyFilters);
        hideCovered.addEventListener("change", applyFilters);
        if (treeButton) {
            treeButton.addEventListener("click", () => {
                treeOn = !treeOn;
                store.set("tree", treeOn);
                layout();
            });
        }
        applyFilters();

        const saved = store.get("sort:" + kind, null);
        const savedIndex = saved ? headers.findIndex((h) => h.id === saved.column) : -1;
        if (savedIndex >= 0) {
            sortBy(savedIndex, saved.direction);
        } else {
            sortBy(0, "ascending");
        }

        return {
            key(key) {
                if (key === "/") {
                    filter.focus();
                    return true;
                }
                if (key === "d" && treeButton) {
                    treeButton.click();
                    return true;
                }
                const index = headers.findIndex((h) => h.dataset.key === key);
                if (index >= 0) {
                    clickSort(index);
                    return true;
                }
                return false;
            },
        };
    }

    // ---- Source pages ---------------------------------------------------------------------

    const CATEGORIES = ["run", "mis", "exc", "par"];

    function setupSource() {
        const main = document.getElementById("source");
        const lines = Array.from(main.querySelectorAll("p"));
        const buttons = Array.from(document.querySelectorAll("button.toggle"));
        const shown = store.get("shown", { run: false, mis: true, exc: true, par: true });
        let chunks = [];
        let current = -1;

        function isShown(line) {
            return CATEGORIES.some((c) => shown[c] && line.classList.contains("show_" + c))
                || (shown.run && line.classList.contains("run"));
        }

        function computeChunks() {
            chunks = [];
            let open = null;
            lines.forEach((line) => {
                if (isShown(line)) {
                    const kind = ["par", "mis", "exc", "run"].find((c) => line.classList.contains(c));
                    if (open && open.kind === kind && open.end === line.previousElementSibling) {
                        open.end = line;
                    } else {
                        open = { kind, start: line, end: line };
                        chunks.push(open);
                    }
                } else {
                    open = null;
                }
            });
        }

        function apply() {
            CATEGORIES.forEach((c) => main.classList.toggle("show-" + c, Boolean(shown[c])));
            buttons.forEach((b) => b.setAttribute("aria-pressed", String(Boolean(shown[b.dataset.category]))));
            computeChunks();
            select(-1);
        }

        function select(index) {
            main.querySelectorAll("p.selected").forEach((p) => p.classList.remove("selected"));
            current = index;
            if (index < 0 || index >= chunks.length) {
                current = -1;
                return;
            }
            const chunk = chunks[index];
            for (let line = chunk.start; line; line = line.nextElementSibling) {
                line.classList.add("selected");
                if (line === chunk.end) {
                    break;
                }
            }
            chunk.start.scrollIntoView({ block: "center" });
        }

        function toggle(category) {
            shown[category] = !shown[category];
            store.set("shown", shown);
            apply();
        }

        buttons.forEach((b) => b.addEventListener("click", () => toggle(b.dataset.category)));
        apply();

        // show_contexts: a line names its labels by their places in the page's table, as runs
        // (html/contexts.rs, encode_runs), written out the first time its list is opened.
        const table = document.getElementById("contexts");
        const labels = table ? JSON.parse(table.textContent) : [];
        function places(code) {
            const out = [];
            let i = 0;
            function number() {
                let value = 0;
                for (;;) {
                    const c = code.charCodeAt(i);
                    i += 1;
                    if (c >= 97) {
                        value = value * 26 + (c - 97);
                    } else {
                        return value * 26 + (c - 65);
                    }
                }
            }
            let next = 0;
            while (i < code.length) {
                const start = next + number();
                let end = start;
                if (code[i] === "-") {
                    i += 1;
                    end = start + number();
                }
                for (let k = start; k <= end; k += 1) {
                    out.push(k);
                }
                next = end + 1;
            }
            return out;
        }
        main.addEventListener("change", (event) => {
            const box = event.target;
            if (!box.classList || !box.classList.contains("ctx-toggle")) {
                return;
            }
            const list = box.parentNode.querySelector(".ctxs");
            if (!list || list.dataset.done) {
                return;
            }
            list.dataset.done = "1";
            places(list.dataset.c).forEach((k) => {
                list.appendChild(document.createTextNode(labels[k]));
                list.appendChild(document.createElement("br"));
            });
        });

        return {
            key(key) {
                const button = buttons.find((b) => b.dataset.key === key);
                if (button) {
                    toggle(button.dataset.category);
                    return true;
                }
                switch (key) {
                case "j":
                    select(Math.min(current + 1, chunks.length - 1));
                    return true;
                case "k":
                    select(current <= 0 ? 0 : current - 1);
                    return true;
                case "0":
                    select(-1);
                    window.scrollTo(0, 0);
                    return true;
                case "1":
                    select(0);
                    return true;
                case "u":
                    go("index.html");
                    return true;
                default:
                    return false;
                }
            },
        };
    }

    // ---- Keyboard -------------------------------------------------------------------------

    let page = null;

    // Wires up the page in the body: its own controls, then the ones every page has.
    function setupPage() {
        page = document.body.classList.contains("index-page") ? setupIndex() : setupSource();
        const theme = document.getElementById("theme");
        if (theme) {
            theme.addEventListener("click", toggleTheme);
        }
        const help = document.getElementById("help-button");
        if (help) {
            help.addEventListener("click", toggleHelp);
        }
    }

    // ---- One-file report ------------------------------------------------------------------

    let templates = null;

    function pageTemplate(name) {
        if (templates === null) {
            templates = new Map();
            document.head.querySelectorAll("template[data-page]").forEach((t) => {
                templates.set(t.dataset.page, t);
            });
        }
        return templates.get(name);
    }

    // Shows the page the fragment names (the file index when it names none), then its line.
    function route() {
        let hash = window.location.hash.slice(1);
        try {
            hash = decodeURIComponent(hash);
        } catch (e) {
            // A fragment that is not percent-encoding: taken as it is.
        }
        const cut = hash.indexOf("#");
        let name = cut < 0 ? hash : hash.slice(0, cut);
        const line = cut < 0 ? "" : hash.slice(cut + 1);
        let template = pageTemplate(name);
        if (!template) {
            name = "index.html";
            template = pageTemplate(name);
        }
        if (name !== shownPage) {
            const body = document.body;
            body.className = template.dataset.bodyClass || "";
            Object.keys(body.dataset).forEach((key) => { delete body.dataset[key]; });
            Object.entries(template.dataset).forEach(([key, value]) => {
                if (!["page", "title", "bodyClass"].includes(key)) {
                    body.dataset[key] = value;
                }
            });
            body.replaceChildren(template.content.cloneNode(true));
            document.title = template.dataset.title;
            // The site's links, as addresses within this file (so they can be copied too).
            body.querySelectorAll("a[href]").forEach((link) => {
                const href = link.getAttribute("href");
                if (href.startsWith("#")) {
                    link.setAttribute("href", "#" + name + href);
                } else if (pageTemplate(href.split("#")[0])) {
                    link.setAttribute("href", "#" + href);
                }
            });
            shownPage = name;
            setupPage();
            window.scrollTo(0, 0);
        }
        document.querySelectorAll("#source p.target").forEach((p) => p.classList.remove("target"));
        const target = /^t\d+$/.test(line) ? document.getElementById(line) : null;
        if (target) {
            target.classList.add("target");
            target.scrollIntoView({ block: "center" });
        }
    }

    function start() {
        single = pageTemplate("index.html") !== undefined;
        if (single) {
            window.addEventListener("hashchange", route);
            route();
        } else {
            setupPage();
        }
        document.addEventListener("keydown", (event) => {
            if (event.altKey || event.ctrlKey || event.metaKey) {
                return;
            }
            const target = event.target;
            if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) {
                if (event.key === "Escape") {
                    target.blur();
                }
                return;
            }
            let handled = page.key(event.key);
            if (!handled) {
                handled = true;
                if (event.key === "?") {
                    toggleHelp();
                } else if (event.key === "t") {
                    toggleTheme();
                } else if (event.key === "[" && document.body.dataset.prev) {
                    go(document.body.dataset.prev);
                } else if (event.key === "]" && document.body.dataset.next) {
                    go(document.body.dataset.next);
                } else {
                    handled = false;
                }
            }
            if (handled) {
                event.preventDefault();
            }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
