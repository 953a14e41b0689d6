// The page editor's buttons (Publish, Save draft, Submit) wait for an autosave in flight.
//
// Wagtail 8 autosaves a new page in the background: its first save creates the page
// and moves the form to the page's edit URL. A button pressed while that request is on
// its way would post the create form a second time, to the create URL: the slug is
// taken by then (by the draft autosave just made), so nothing is published. Held here
// until the autosave has answered, the submission goes to the URL the form has by then,
// with the ids the autosave gave the new inline rows.
//
// It listens to the events of Wagtail's autosave controller (w-autosave:save, success,
// error) and sets its "active" value; tests/test_browser_autosave.py checks both.
(() => {
  const HOLD_AT_MOST_MS = 15000; // a hung autosave must not make a button do nothing

  const guard = (form) => {
    let pending = null; // the autosave in flight: { settle, held }

    const settle = () => {
      if (!pending) return;
      const { held } = pending;
      pending = null;
      if (held) held();
    };

    form.addEventListener('w-autosave:save', (event) => {
      pending = pending || { settle, held: null };
      // A cancelled save sends no request, so it will not answer either.
      queueMicrotask(() => {
        if (event.defaultPrevented) settle();
      });
    });
    form.addEventListener('w-autosave:success', settle);
    form.addEventListener('w-autosave:error', settle);

    form.addEventListener(
      'submit',
      (event) => {
        if (!pending) return;
        event.preventDefault();
        if (pending.held) return; // pressed twice: one submission is already waiting
        const { submitter } = event;
        const timer = window.setTimeout(settle, HOLD_AT_MOST_MS);
        pending.held = () => {
          window.clearTimeout(timer);
          // The button is disabled by now (it shows its progress), and a disabled
          // submitter sends no value: carry its name and value in a hidden input.
          if (submitter && submitter.name) {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = submitter.name;
            input.value = submitter.value;
            form.appendChild(input);
          }
          form.requestSubmit();
        };
      },
      { capture: true },
    );

    // Once a submission leaves, no autosave may start behind it (to the create URL,
    // that is a second page); window's bubbling listener runs after the form's own.
    window.addEventListener('submit', (event) => {
      if (event.target === form && !event.defaultPrevented) {
        form.setAttribute('data-w-autosave-active-value', 'false');
      }
    });
  };

  const start = () => {
    document
      .querySelectorAll('form[data-edit-form][data-controller~="w-autosave"]')
      .forEach(guard);
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
