// A WebAssembly trap is not a Rust panic (issue #14). Running out of memory, overflowing the stack
// or reaching `unreachable` stops the module where it is: the panic hook (src/ui/panic.rs) never
// runs, and the page would look alive while ignoring every click. This script, loaded before the
// module, shows the same panel when such a trap reaches the page. It never calls into the trapped
// module, and builds the panel from text nodes only: the message may quote what was pasted.
(function () {
  'use strict';

  function isTrap(error) {
    if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) {
      return true;
    }
    // The engine's own stack (deep recursion through wasm frames) overflows as a RangeError.
    return error instanceof RangeError && /call stack/i.test(String(error.message));
  }

  function describe(error) {
    var text = String(error && error.message ? error.name + ': ' + error.message : error);
    if (/unreachable|memory|out of bounds|call stack/i.test(text)) {
      text += '\n\nThe app ran out of memory or stack (a WebAssembly trap), or stopped after an earlier error.';
    }
    return text;
  }

  function show(message) {
    // A panic shows its own panel first (its abort then traps): keep that one.
    if (document.getElementById('crash')) {
      return;
    }
    var body = document.body;
    if (!body) {
      document.addEventListener('DOMContentLoaded', function () { show(message); });
      return;
    }
    var panel = document.createElement('section');
    panel.id = 'crash';
    panel.setAttribute('role', 'alert');
    function add(tag, text) {
      var el = document.createElement(tag);
      el.textContent = text;
      panel.appendChild(el);
      return el;
    }
    add('h1', 'StatefulSet Lab stopped');
    add('p', 'Something inside the app failed, so it can no longer respond. Nothing was sent anywhere.');
    add('pre', message);
    add('p', 'Reload the page to start again. To report it, copy the message above into an issue together with ' +
      'what you pasted and the last thing you clicked.');
    var reload = add('button', 'Reload');
    reload.addEventListener('click', function () { window.location.reload(); });
    body.textContent = '';
    body.appendChild(panel);
  }

  window.addEventListener('error', function (event) {
    if (isTrap(event.error)) {
      show(describe(event.error));
    }
  });
  window.addEventListener('unhandledrejection', function (event) {
    if (isTrap(event.reason)) {
      show(describe(event.reason));
    }
  });
})();
