/* The page editor without silent pauses (loaded through the hook insert_editor_js).

   Wagtail 8 autosaves the form in the background (the w-autosave controller) and, when a save
   fails, only switches its small indicator to "pausiert". Here:

   - a failed autosave shows a German notice above the form that says why and what to do; for
     an invalid entry it names the field and its tab (asked from the server once, see
     `findInvalidFields`) with a button that opens the tab;
   - after a network or server error the save is tried again every RETRY_MS while the editor
     keeps the page open (Wagtail retries only on the next change or a few times);
   - the notice goes away as soon as an autosave succeeds (Wagtail saves again on the next
     change, so correcting the field is enough);
   - after a full save that failed validation, the first tab with an error is opened.
*/
(() => {
  'use strict';

  const RETRY_MS = 10000;
  const TEXT = {
    validation:
      'Noch nicht gespeichert: Eine Angabe ist noch nicht gültig. Bitte korrigieren Sie sie – danach speichert die Seite wieder automatisch. Ihre übrigen Eingaben bleiben erhalten.',
    network:
      'Noch nicht gespeichert: Keine Verbindung zum Server. Lassen Sie diese Seite offen – es wird alle paar Sekunden erneut versucht.',
    server:
      'Noch nicht gespeichert: Der Server hat einen Fehler gemeldet. Lassen Sie diese Seite offen – es wird alle paar Sekunden erneut versucht. Hält das an, klicken Sie auf „Entwurf speichern“.',
    locked:
      'Nicht gespeichert: Die Seite ist gesperrt (z. B. während der Freigabe). Bitte wenden Sie sich an die Moderation Ihrer Region.',
    conflict:
      'Nicht gespeichert: Diese Seite wurde inzwischen an anderer Stelle gespeichert. Kopieren Sie Ihre letzten Änderungen und laden Sie die Seite neu.',
    field: (label, tab) =>
      tab ? `„${label}“ im Reiter „${tab}“` : `„${label}“`,
    open: 'Zeigen',
  };

  const form = document.querySelector('form[data-edit-form]');
  if (!form) return;

  const notice = document.createElement('div');
  notice.className = 'kig-save-notice';
  notice.id = 'kig-save-notice';
  notice.setAttribute('role', 'alert');
  notice.hidden = true;
  form.parentNode.insertBefore(notice, form);

  let retryTimer = null;
  let lastFormData = null;
  let lastCheckedBody = null;

  const clean = (text) => (text || '').replace(/\s+/g, ' ').replace(/\s*\*\s*$/, '').trim();

  /** A tab's name without Wagtail's error counter inside the link. */
  function tabLabel(link) {
    if (!link) return '';
    const copy = link.cloneNode(true);
    copy.querySelectorAll('.w-tabs__errors').forEach((counter) => counter.remove());
    return clean(copy.textContent);
  }

  function show(text, fields = []) {
    notice.replaceChildren();
    const p = document.createElement('p');
    p.textContent = text;
    notice.append(p);
    if (fields.length) {
      const list = document.createElement('ul');
      fields.forEach(({ label, tab, tabId, message, inputId }) => {
        const item = document.createElement('li');
        item.textContent = `${TEXT.field(label, tab)}: ${message}`;
        if (tabId) {
          const button = document.createElement('button');
          button.type = 'button';
          button.className = 'button button-small button-secondary kig-save-notice__action';
          button.textContent = TEXT.open;
          button.addEventListener('click', () => openTab(tabId, inputId));
          item.append(' ', button);
        }
        list.append(item);
      });
      notice.append(list);
    }
    notice.hidden = false;
    notice.dataset.state = 'failed';
  }

  function hide() {
    notice.hidden = true;
    notice.replaceChildren();
    notice.dataset.state = 'saved';
  }

  function openTab(tabId, inputId) {
    const tab = document.querySelector(`a[role="tab"][href="#${tabId}"]`);
    if (tab) tab.click();
    const input = inputId && document.getElementById(inputId);
    if (input) {
      // After the tab has taken the focus for itself.
      setTimeout(() => {
        input.scrollIntoView({ block: 'center' });
        input.focus({ preventScroll: true });
      }, 100);
    }
  }

  /** Ask Wagtail to save again (the form's own w-autosave listens for w-unsaved:add). */
  function saveAgain() {
    retryTimer = null;
    form.dispatchEvent(
      new CustomEvent('w-unsaved:add', { bubbles: true, detail: { type: 'edits' } }),
    );
  }

  function retryLater() {
    if (!retryTimer) retryTimer = setTimeout(saveAgain, RETRY_MS);
  }

  /** Which fields are invalid, and on which tab: the autosave answer only says "invalid". The
      same data is posted once as a normal save would be; it is rejected again (validation
      gives the same answer; an impossible publishing date makes sure), and the returned form
      tells which fields the errors are in. Nothing is saved. */
  async function findInvalidFields(formData) {
    const body = new FormData();
    for (const [key, value] of formData.entries()) {
      if (key !== 'go_live_at') body.append(key, value);
    }
    body.append('go_live_at', 'kein-datum');
    const signature = new URLSearchParams(
      [...body.entries()].filter(([, v]) => typeof v === 'string'),
    ).toString();
    if (signature === lastCheckedBody) return null;
    lastCheckedBody = signature;
    const response = await fetch(form.action, {
      method: 'POST',
      body,
      headers: { Accept: 'text/html' },
      credentials: 'same-origin',
    });
    if (!response.ok || response.redirected) return null;
    const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
    const fields = [];
    doc.querySelectorAll('.error-message').forEach((error) => {
      const wrapper =
        error.closest('[data-field-wrapper]') ||
        error.closest('.w-field__wrapper') ||
        error.closest('.w-field');
      if (!wrapper || wrapper.querySelector('[name="go_live_at"]')) return;
      const panel = error.closest('[role="tabpanel"]');
      const tabLink = panel && doc.querySelector(`a[role="tab"][href="#${panel.id}"]`);
      const input = wrapper.querySelector('input, textarea, select');
      const labelNode =
        (input && input.id && doc.querySelector(`label[for="${input.id}"]`)) ||
        wrapper.querySelector('.w-field__label, label') ||
        error.closest('section')?.querySelector('.w-panel__heading');
      fields.push({
        label: clean(labelNode?.textContent) || clean(input?.name),
        tab: tabLabel(tabLink),
        tabId: panel ? panel.id : '',
        message: clean(error.textContent),
        inputId: input ? input.id : '',
      });
    });
    return fields;
  }

  document.addEventListener('w-autosave:save', (event) => {
    lastFormData = event.detail?.formData || null;
  });

  document.addEventListener('w-autosave:success', () => {
    clearTimeout(retryTimer);
    retryTimer = null;
    lastCheckedBody = null;
    hide();
  });

  document.addEventListener('w-autosave:error', async (event) => {
    const type = event.detail?.type;
    if (type === 'validation_error') {
      show(TEXT.validation);
      try {
        const fields = lastFormData && (await findInvalidFields(lastFormData));
        if (fields && fields.length && notice.dataset.state === 'failed') {
          show(TEXT.validation, fields);
        }
      } catch (error) {
        // The general notice stays.
      }
    } else if (type === 'locked') {
      show(TEXT.locked);
    } else if (type === 'invalid_revision') {
      show(TEXT.conflict);
    } else {
      show(type === 'network_error' ? TEXT.network : TEXT.server);
      retryLater();
    }
  });

  /** After a full save with errors: open the first tab that holds one. */
  function openFirstTabWithErrors() {
    const error = form.querySelector('.error-message');
    const panel = error && error.closest('[role="tabpanel"]');
    if (!panel || !panel.hidden) return;
    const tab = document.querySelector(`a[role="tab"][href="#${panel.id}"]`);
    if (tab) tab.click();
  }

  if (document.readyState === 'complete') {
    openFirstTabWithErrors();
  } else {
    window.addEventListener('load', () => setTimeout(openFirstTabWithErrors, 0));
  }
})();
