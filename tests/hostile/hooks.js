// Injected before any page script (page.add_init_script): records every way a payload could
// run. Every report goes to the test through the exposed binding, which survives navigation,
// and is kept in window.__hostile too.
(() => {
  const report = (kind, detail) => {
    // Playwright's own bindings, and the scan the test evaluates, are not payloads.
    if (/__playwright__|hostile-scan/.test(String(detail))) return;
    const text = String(detail).slice(0, 400);
    (window.__hostile = window.__hostile || []).push([kind, text]);
    try {
      window.__hostileReport(kind, text, location.href);
    } catch (error) {
      // the binding is missing only in frames the test did not open
    }
  };
  // The corpus' payloads call this marker; nothing else on the site does.
  Object.defineProperty(window, "__pwn", {
    value: (id) => report("pwn", id),
    writable: false,
    configurable: false,
  });
  window.__pwned = undefined;
  Object.defineProperty(window, "__pwned", {
    set: (value) => report("pwned", value),
    get: () => undefined,
    configurable: false,
  });
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => report(name, args.join(" "));
  }
  const nativeEval = window.eval;
  window.eval = function (code) {
    report("eval", code);
    return nativeEval(code);
  };
  const NativeFunction = window.Function;
  const wrappedFunction = function (...args) {
    report("Function", args.join(", "));
    return NativeFunction(...args);
  };
  wrappedFunction.prototype = NativeFunction.prototype;
  window.Function = wrappedFunction;
  for (const name of ["setTimeout", "setInterval"]) {
    const native = window[name];
    window[name] = function (handler, ...rest) {
      if (typeof handler === "string") report(name, handler);
      return native.call(window, handler, ...rest);
    };
  }
  window.addEventListener(
    "error",
    (event) => {
      if (event instanceof ErrorEvent) report("error", `${event.message} at ${event.filename}`);
    },
    true,
  );
})();
