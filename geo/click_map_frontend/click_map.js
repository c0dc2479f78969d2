// A folium map as a Streamlit component that reports a click on the map at once.
//
// The page (geo/map_component.py) sends the map rendered by folium: the scripts and
// stylesheets it needs, its header, its <div> and its script. They are loaded once;
// a later render with the same map only keeps it; a render with another map replaces
// the old one in place, so Leaflet is not loaded again. A click on the map sends its
// point back to Python straight away (no debounce, nothing else sent).
//
// The value also says when the first map has been drawn ({drawn: true}, sent once,
// also when the scripts failed to load), so a page can hold back what it shows below
// the map until then (views/overview.py).
(function () {
  "use strict";
  var shown = null; // the script of the map drawn now
  var loading = null; // a promise while the scripts load
  var value = { drawn: false, last_clicked: null }; // what Python reads

  function report() {
    send("streamlit:setComponentValue", { value: value, dataType: "json" });
  }

  function send(type, data) {
    var message = Object.assign({ isStreamlitMessage: true, type: type }, data || {});
    window.parent.postMessage(message, "*");
  }

  function loadScripts(urls) {
    // Fetched in parallel, run in order (async = false), done when the last has run.
    var waits = urls.map(function (url) {
      return new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = url;
        tag.async = false;
        tag.onload = resolve;
        tag.onerror = function () { reject(new Error("cannot load " + url)); };
        document.head.appendChild(tag);
      });
    });
    return Promise.all(waits);
  }

  function loadStyles(urls) {
    urls.forEach(function (url) {
      var tag = document.createElement("link");
      tag.rel = "stylesheet";
      tag.href = url;
      document.head.appendChild(tag);
    });
  }

  function draw(args) {
    if (window.map && typeof window.map.remove === "function") {
      window.map.remove();
    }
    var old = document.getElementById("gridmap-holder");
    if (old) { old.remove(); }
    var holder = document.createElement("div");
    holder.id = "gridmap-holder";
    // folium's script draws into "map_div" (streamlit-folium's naming, which
    // geo/map_component.py keeps); the rest of its HTML (legends) follows it.
    holder.innerHTML = '<div class="folium-map" id="map_div"></div>' + args.html;
    holder.firstChild.style.height = args.height + "px";
    document.body.appendChild(holder);
    var code = document.createElement("script");
    code.textContent = args.script + "\nwindow.map = map_div;";
    document.body.appendChild(code);
    window.map.on("click", function (event) {
      value.last_clicked = { lat: event.latlng.lat, lng: event.latlng.lng };
      report();
    });
    shown = args.script;
  }

  function render(args) {
    send("streamlit:setFrameHeight", { height: args.height });
    if (shown === args.script) { return; }
    if (loading === null) {
      loadStyles(args.css_links);
      var header = document.createElement("div");
      header.innerHTML = args.header;
      Array.prototype.slice.call(header.childNodes).forEach(function (node) {
        document.head.appendChild(node);
      });
      loading = loadScripts(args.js_links);
    }
    loading
      .then(function () { draw(args); })
      .finally(function () {
        if (!value.drawn) {
          value.drawn = true;
          report();
        }
      });
  }

  window.addEventListener("message", function (event) {
    if (event.data && event.data.type === "streamlit:render") {
      render(event.data.args);
    }
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();
