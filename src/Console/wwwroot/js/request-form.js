// The public request form (/requests/new): the requester's own browser calls the gateway's public API, so the gateway's
// limits per address count each requester. Every word shown comes from the page, which the server wrote from the
// console's resource files; this file holds none.

const requestForm = document.getElementById('request-form');
const codeForm = document.getElementById('code-form');
const objectionField = document.getElementById('request-objection-field');
let requestId = null;

const value = id => document.getElementById(id).value.trim() || null;

async function post(url, body) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const type = response.headers.get('Content-Type') || '';
    const answer = type.includes('json') ? await response.json() : null;
    return { ok: response.ok, status: response.status, answer };
  } catch {
    return { ok: false, status: 0, answer: null };
  }
}

// Clears the problems a step showed before another try.
function clearProblems(container, summary) {
  container.querySelectorAll('[data-problem-for]').forEach(element => {
    element.textContent = '';
    element.hidden = true;
  });
  container.querySelectorAll('[aria-invalid]').forEach(element => element.removeAttribute('aria-invalid'));
  summary.hidden = true;
  summary.querySelector('ul').replaceChildren();
}

// An RFC 9457 problem: each field's message beside the field it names and, linked to the field, in the summary, which
// takes the focus so that a screen reader reads it first. The page's own message for a field, in the page's language
// (the API's are in English, written for developers); the API's own for a field the page does not show.
function showProblems(container, summary, result) {
  const list = summary.querySelector('ul');
  const errors = result.answer && result.answer.errors ? result.answer.errors : null;
  if (errors && Object.keys(errors).length > 0) {
    for (const [field, messages] of Object.entries(errors)) {
      const beside = container.querySelector(`[data-problem-for="${CSS.escape(field)}"]`);
      const message = beside ? beside.dataset.message : messages.join(' ');
      const item = document.createElement('li');
      if (beside) {
        beside.textContent = message;
        beside.hidden = false;
        const input = container.querySelector(`[aria-describedby~="${CSS.escape(beside.id)}"]`);
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          const label = input.id ? container.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
          const name = label ? label.textContent : input.querySelector('legend')?.textContent;
          const link = document.createElement('a');
          link.href = `#${input.id}`;
          link.textContent = name ? `${name}: ${message}` : message;
          item.append(link);
        } else {
          item.textContent = message;
        }
      } else {
        item.textContent = message;
        item.lang = 'en';
      }
      list.append(item);
    }
  } else {
    const item = document.createElement('li');
    item.textContent = result.status === 429 ? summary.dataset.tooMany : summary.dataset.failed;
    list.append(item);
  }
  summary.hidden = false;
  summary.focus();
}

// Days as the console writes them in both languages: d.M.yyyy.
function finnishDate(isoDay) {
  const [year, month, day] = isoDay.split('-').map(Number);
  return `${day}.${month}.${year}`;
}

function format(template, ...values) {
  return template.replace(/\{(\d)\}/g, (_, i) => values[Number(i)]);
}

function show(stepId) {
  for (const step of document.querySelectorAll('main > section')) {
    step.hidden = step.id !== stepId;
  }
  const heading = document.querySelector(`#${stepId} h2`);
  if (heading) {
    heading.focus();
  }
}

async function sendCode(statusKey) {
  const status = document.getElementById('code-status');
  const summary = document.getElementById('code-summary');
  clearProblems(codeForm, summary);
  const sent = await post(`/api/requests/${requestId}/verification-code`);
  status.textContent = sent.ok ? status.dataset[statusKey] : status.dataset.notSent;
  if (!sent.ok && sent.status === 429) {
    showProblems(codeForm, summary, sent);
  }
}

// A rectification's rows: each one a field and its correct value, numbered, with the ids and problem elements the
// problem details of the API name (corrections[0].value…), so that a problem is shown beside its row like any other.
const correctionsField = document.getElementById('request-corrections');
const correctionRows = document.getElementById('request-correction-rows');
const correctionTemplate = document.getElementById('request-correction-template');

function addCorrection() {
  const index = correctionRows.children.length;
  const number = String(index + 1);
  const row = correctionTemplate.content.firstElementChild.cloneNode(true);
  for (const part of ['field', 'value']) {
    const input = row.querySelector(`[data-part="${part}"]`);
    const label = row.querySelector(`[data-part="${part}-label"]`);
    const problem = row.querySelector(`[data-part="${part}-problem"]`);
    input.id = `request-correction-${part}-${index}`;
    label.htmlFor = input.id;
    label.textContent = format(correctionTemplate.dataset[`${part}Label`], number);
    problem.id = `${input.id}-problem`;
    problem.dataset.problemFor = `corrections[${index}].${part}`;
    problem.dataset.message = correctionTemplate.dataset[`${part}Problem`];
    input.setAttribute('aria-describedby', problem.id);
  }
  correctionRows.append(row);
  return row;
}

function corrections() {
  return [...correctionRows.children]
    .map(row => ({ field: row.querySelector('[data-part="field"]').value || null, value: row.querySelector('[data-part="value"]').value.trim() || null }))
    // A row left empty is no correction; a half-filled one goes to the API, which names what is missing.
    .filter(correction => correction.field !== null || correction.value !== null);
}

document.getElementById('request-add-correction').addEventListener('click', () => addCorrection().querySelector('select').focus());

document.getElementById('request-type').addEventListener('change', event => {
  objectionField.hidden = event.target.value !== 'objection';
  correctionsField.hidden = event.target.value !== 'rectification';
  if (!correctionsField.hidden && correctionRows.children.length === 0) {
    addCorrection();
  }
});

requestForm.addEventListener('submit', async event => {
  event.preventDefault();
  const summary = document.getElementById('request-summary');
  const button = document.getElementById('request-submit');
  clearProblems(requestForm, summary);
  const type = value('request-type');
  const body = {
    type,
    subject: {
      name: value('request-name'),
      email: value('request-email'),
      phone: value('request-phone'),
      hetu: value('request-hetu'),
      businessId: value('request-business-id'),
      customerNumber: value('request-customer-number'),
    },
    channel: 'web-form',
    details: value('request-details'),
  };
  if (type === 'objection') {
    body.objection = value('request-objection');
  }
  if (type === 'rectification') {
    body.corrections = corrections();
  }

  button.disabled = true;
  const received = await post('/api/requests', body);
  button.disabled = false;
  if (!received.ok) {
    showProblems(requestForm, summary, received);
    return;
  }

  requestId = received.answer.id;
  const dueOn = finnishDate(received.answer.dueOn);
  if (!body.subject.email) {
    const text = document.getElementById('request-received-no-email');
    text.textContent = format(text.dataset.template, requestId, dueOn);
    show('no-email-step');
    return;
  }

  const text = document.getElementById('request-received');
  text.textContent = format(text.dataset.template, requestId, dueOn);
  show('code-step');
  await sendCode('sent');
});

document.getElementById('code-resend').addEventListener('click', () => sendCode('newCode'));

codeForm.addEventListener('submit', async event => {
  event.preventDefault();
  const summary = document.getElementById('code-summary');
  const button = document.getElementById('code-submit');
  clearProblems(codeForm, summary);
  button.disabled = true;
  const verified = await post(`/api/requests/${requestId}/verification`, {
    method: 'one-time-code',
    code: document.getElementById('request-code').value,
  });
  button.disabled = false;
  if (!verified.ok) {
    showProblems(codeForm, summary, verified);
    return;
  }

  // The only time the key is shown: the link is the requester's proof when they come back for the answer.
  const link = document.getElementById('answer-link');
  link.href = verified.answer.answerUrl;
  link.textContent = new URL(verified.answer.answerUrl, location.href).href;
  show('verified-step');
});
