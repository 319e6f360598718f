"""The site's weight around the article: style sheet, scripts, menus and footer.

A real globalpolitics.in page is 42 to 47 KB; about half of it is this chrome (an inline style
sheet, analytics and menu scripts, a top menu with drop-downs and its hidden mobile copy, a
footer of links to the institute's site). Every piece sits where a browser shows no article
text: in `<style>`/`<script>`, or in containers a reader knows as navigation (`<nav>`, `menu`,
`footer`, hidden). Built once at import; identical on every page.
"""

from __future__ import annotations

from html import escape

# The menus link the institute's own site, another host (a reserved name: never fetched).
INSTITUTE = "https://nias.example.org"
PROGRAMMES = (
    "International Strategic and Security Studies Programme",
    "Conflict Resolution and Peace Research Programme",
    "Energy, Environment and Climate Change Programme",
    "Science, Technology and Society Programme",
    "Consciousness Studies Programme",
    "Heritage, Science and Society Programme",
    "Education Programme",
    "Urban and Mobility Studies Programme",
)
PUBLICATIONS = (
    "The World This Week", "Conflict Weekly", "Africa Weekly", "Science, Technology and "
    "International Relations", "Europe Monitor", "NIAS Strategic Forecast", "East Asia Studies",
    "South Asia Studies", "Indo-Pacific Monitor", "Pakistan Reader", "Myanmar Monitor",
    "Nepal Reader", "Sri Lanka Reader", "Afghanistan Reader", "Global Politics Interviews",
)
ABOUT = ("About NIAS", "Faculty", "Research Associates", "Visiting Scholars", "Internships",
         "Courses", "Events", "Annual Reports", "Contact Us", "Careers", "Library", "Alumni")
SOCIAL = ("Facebook", "Twitter", "LinkedIn", "YouTube", "Instagram", "Telegram")

_SELECTORS = (
    "body", "a", "a:hover", "h1", "h2", "h3", "h4", "p", "table", "td", "img",
    ".container", ".row", ".col-md-3", ".col-md-4", ".col-md-6", ".col-md-8", ".col-md-9",
    ".col-md-12", ".navbar", ".navbar-brand", ".navbar-toggle", ".navbar ul",
    ".navbar li", ".navbar li a", ".navbar .dropdown-menu", ".navbar .dropdown-menu li a",
    ".navbar .dropdown:hover .dropdown-menu", ".mobile-menu", ".mobile-menu li a", ".label",
    ".title", ".content", ".content p", ".content strong", ".chrome", ".sidebar",
    ".sidebar .entry", ".sidebar .entry-date", ".sidebar .entry-author", ".sidebar .entry-title",
    ".sidebar .entry-title a", ".sidebar .entry-title a:hover", ".site-footer",
    ".site-footer h5", ".site-footer ul", ".site-footer li", ".site-footer li a",
    ".site-footer .address", ".site-footer .copyright", ".social-links a", ".breadcrumbs",
    ".search-box", ".search-box input", ".btn", ".btn-primary", ".btn:hover", ".tools",
    ".author", ".series", ".meta", ".standfirst", ".about", ".about h4", ".cwa", ".teaser",
    ".template", ".main", ".home", ".archive", ".pager", ".pager a", "article", "header",
    "article h1", "article h2", "article h3", "article p", ".clearfix:after", ".hidden-xs",
    ".visible-xs", ".img-responsive", ".text-center", ".pull-right", ".pull-left",
)
_DECLARATIONS = (
    "margin:0 0 10px 0", "padding:6px 12px", "font-family:'Open Sans',Arial,sans-serif",
    "font-size:14px", "line-height:1.6", "color:#333333", "background-color:#ffffff",
    "border-bottom:1px solid #e5e5e5", "text-decoration:none", "display:block",
    "font-weight:600", "text-transform:uppercase", "letter-spacing:0.5px",
    "transition:color 0.2s ease-in-out", "box-sizing:border-box", "width:100%",
)


def _style_sheet() -> str:
    rules = []
    for i, selector in enumerate(_SELECTORS):
        picked = [_DECLARATIONS[(i * 7 + k * 3) % len(_DECLARATIONS)] for k in range(4)]
        rules.append(f"{selector}{{{';'.join(picked)}}}")
    media = "\n".join(f"  {s}{{padding:4px;font-size:13px}}" for s in _SELECTORS[11:40])
    return "\n".join(rules) + f"\n@media (max-width:767px){{\n{media}\n}}"


_ANALYTICS = """window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
gtag('js', new Date());
gtag('config', 'G-NIASGP0001', {'anonymize_ip': true, 'cookie_flags': 'SameSite=None;Secure'});
(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){
(i[r].q=i[r].q||[]).push(arguments)},i[r].l=1*new Date();a=s.createElement(o),
m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)
})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');"""

_MENU_SCRIPT = """var gpMenu = {open: false, hint: "What happened? In the news PREVIOUS COMMENTS"};
function toggleMenu() { gpMenu.open = !gpMenu.open; }
(function () {
  'use strict';
  var breakpoint = 768, timer = null;
  function each(list, fn) { for (var i = 0; i < list.length; i++) { fn(list[i], i); } }
  function closeAll(except) {
    each(document.querySelectorAll('.navbar .dropdown.open'), function (el) {
      if (el !== except) { el.className = el.className.replace(/\\s*open/, ''); }
    });
  }
  function onToggle(event) {
    var item = event.currentTarget.parentNode;
    event.preventDefault();
    closeAll(item);
    if (item.className.indexOf('open') < 0) { item.className += ' open'; }
    else { item.className = item.className.replace(/\\s*open/, ''); }
  }
  function onResize() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (window.innerWidth >= breakpoint) { closeAll(null); gpMenu.open = false; }
    }, 150);
  }
  function stickHeader() {
    var header = document.querySelector('.navbar');
    if (!header) { return; }
    if (window.pageYOffset > 120) { header.classList.add('navbar-fixed-top'); }
    else { header.classList.remove('navbar-fixed-top'); }
  }
  document.addEventListener('DOMContentLoaded', function () {
    each(document.querySelectorAll('.navbar .dropdown > a'), function (link) {
      link.addEventListener('click', onToggle);
    });
    window.addEventListener('resize', onResize);
    window.addEventListener('scroll', stickHeader);
  });
}());"""

_FOOT_SCRIPT = """document.addEventListener('DOMContentLoaded', function () { toggleMenu(); });
(function () {
  var links = document.querySelectorAll('.sidebar .entry-title a');
  var seen = JSON.parse(window.localStorage.getItem('gp-seen') || '[]');
  for (var i = 0; i < links.length; i++) {
    if (seen.indexOf(links[i].getAttribute('href')) >= 0) { links[i].className += ' visited'; }
    links[i].addEventListener('click', function (event) {
      var href = event.currentTarget.getAttribute('href');
      if (seen.indexOf(href) < 0) { seen.push(href); }
      window.localStorage.setItem('gp-seen', JSON.stringify(seen.slice(-200)));
    });
  }
  var print = document.querySelector('.print-link');
  if (print) { print.addEventListener('click', function () { window.print(); }); }
  var share = {url: window.location.href, title: document.title};
  window.gpShare = function (network) {
    var targets = {
      twitter: 'https://twitter.com/intent/tweet?url=',
      facebook: 'https://www.facebook.com/sharer/sharer.php?u=',
      linkedin: 'https://www.linkedin.com/shareArticle?mini=true&url='
    };
    window.open(targets[network] + encodeURIComponent(share.url), '_blank', 'width=600,height=400');
  };
}());"""


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _menu_list(css: str) -> str:
    groups = (("Programmes", f"{INSTITUTE}/programmes/", PROGRAMMES),
              ("Publications", f"{INSTITUTE}/publications/", PUBLICATIONS),
              ("About", f"{INSTITUTE}/about/", ABOUT))
    items = []
    for name, root, entries in groups:
        links = "".join(
            f"<li class=\"menu-item\"><a href=\"{root}{_slug(e)}.php\">"
            f"{escape(e)}</a></li>" for e in entries)
        items.append(f"<li class=\"dropdown menu-item\"><a href=\"#\" class=\"dropdown-toggle\" "
                     f"data-toggle=\"dropdown\">{name} <span class=\"caret\"></span></a>"
                     f"<ul class=\"dropdown-menu\">{links}</ul></li>")
    return f"<ul class=\"{css}\">" + "".join(items) + "</ul>"


def _footer() -> str:
    columns = []
    for name, root, entries in (("Programmes", f"{INSTITUTE}/programmes/", PROGRAMMES),
                                ("About NIAS", f"{INSTITUTE}/about/", ABOUT)):
        links = "".join(f"<li><a href=\"{root}{_slug(e)}.php\">{escape(e)}</a></li>"
                        for e in entries)
        columns.append(f"<div class=\"col-md-4\"><h5>{name}</h5><ul>{links}</ul></div>")
    social = "".join(f"<a href=\"#\" class=\"social-{_slug(s)}\" title=\"{s}\">{s}</a>"
                     for s in SOCIAL)
    return (
        "<footer class=\"site-footer\"><div class=\"container\"><div class=\"row\">"
        + "".join(columns)
        + "<div class=\"col-md-4 address\"><h5>Contact</h5><p>National Institute of Advanced "
        "Studies, Indian Institute of Science Campus, Bengaluru 560012, India</p>"
        "<p>Tel: +91-80-2218 5000 | Fax: +91-80-2218 5028</p>"
        f"<div class=\"social-links\">{social}</div></div></div>"
        "<div class=\"copyright\"><p>Copyright &copy; NIAS Global Politics. All rights "
        "reserved.</p><p>School of Conflict and Security Studies</p></div></div></footer>"
    )


STYLE = _style_sheet()
HEAD_SCRIPTS = (_ANALYTICS, _MENU_SCRIPT)
FOOT_SCRIPT = _FOOT_SCRIPT
TOP_MENU = (
    "<nav class=\"navbar navbar-default\"><div class=\"container\">"
    "<div class=\"navbar-header\"><a class=\"navbar-brand\" href=\"#\">NIAS Global Politics</a>"
    "</div>" + _menu_list("nav navbar-nav") + "</div></nav>"
)
MOBILE_MENU = ("<div class=\"mobile-menu\" style=\"display: none\">"
               + _menu_list("mobile-nav") + "</div>")
FOOTER = _footer()
