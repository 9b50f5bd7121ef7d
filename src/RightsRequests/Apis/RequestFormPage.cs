namespace Procexon.RightsRequests.Apis;

/// <summary>
/// The web client's intake form at <c>/requests/new</c> (routed by the gateway): a static page whose script posts to
/// <c>/api/requests</c>, shows each problem beside its field, then lets the requester verify by an e-mailed code and
/// shows them their link to the answer (the key in it is shown once).
/// </summary>
public static class RequestFormPage
{
    public static IEndpointRouteBuilder MapRequestForm(this IEndpointRouteBuilder app)
    {
        app.MapGet("/requests/new", () => TypedResults.Content(Html, "text/html; charset=utf-8"))
            .AllowAnonymous()
            .WithTags("Web client")
            .WithName("RequestForm")
            .WithSummary("The data subject's request form (fi/en).")
            .ExcludeFromDescription()
            .WithHtmlSecurityHeaders();
        return app;
    }

    public const string Html = """
        <!doctype html>
        <html lang="fi">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Tietosuojapyyntö / Data protection request — Procexon Oy</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
          label { display: block; margin-top: 1rem; font-weight: 600; }
          input, select, textarea { width: 100%; padding: .4rem; box-sizing: border-box; }
          .error { color: #a00; font-size: .9rem; }
          #result, #verify { margin-top: 1.5rem; padding: 1rem; background: #f3f6f9; }
          [hidden] { display: none; }
        </style>
        </head>
        <body>
        <main>
        <h1>Tietosuojapyyntö / Data protection request</h1>
        <p>Procexon Oy vastaa kuukauden kuluessa (EU:n tietosuoja-asetus, 12 artikla). / We answer within one month (GDPR Article 12).</p>
        <form id="request" novalidate>
          <label for="type">Pyyntö / Request</label>
          <select id="type" name="type">
            <option value="access">Tarkastus / Access (Art 15)</option>
            <option value="rectification">Oikaisu / Rectification (Art 16)</option>
            <option value="erasure">Poistaminen / Erasure (Art 17)</option>
            <option value="restriction">Käsittelyn rajoittaminen / Restriction (Art 18)</option>
            <option value="portability">Siirtäminen / Portability (Art 20)</option>
            <option value="objection">Vastustaminen / Objection (Art 21)</option>
          </select>
          <div class="error" data-for="type" aria-live="polite"></div>
          <label for="name">Nimi / Name</label>
          <input id="name" name="name" autocomplete="name">
          <label for="email">Sähköposti / E-mail</label>
          <input id="email" name="email" type="email" autocomplete="email">
          <label for="phone">Puhelin / Phone</label>
          <input id="phone" name="phone" type="tel" autocomplete="tel">
          <div class="error" data-for="subject" aria-live="polite"></div>
          <label for="details">Lisätiedot / Details</label>
          <textarea id="details" name="details" rows="4" maxlength="4000"></textarea>
          <div class="error" data-for="details" aria-live="polite"></div>
          <p><button type="submit">Lähetä / Send</button></p>
        </form>
        <div id="result" role="status" aria-live="polite" hidden></div>
        <form id="verify" hidden novalidate>
          <p>Lähetimme vahvistuskoodin sähköpostiisi. / We e-mailed you a verification code.</p>
          <label for="code">Koodi / Code</label>
          <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="7">
          <div class="error" data-for="code" aria-live="polite"></div>
          <p><button type="submit">Vahvista / Verify</button></p>
        </form>
        </main>
        <script>
        const form = document.getElementById('request');
        const result = document.getElementById('result');
        const verify = document.getElementById('verify');
        let requestId = null;

        function showErrors(container, problem) {
          container.querySelectorAll('.error').forEach(e => e.textContent = '');
          for (const [field, messages] of Object.entries(problem.errors || {})) {
            const key = field.startsWith('subject') ? 'subject' : field;
            const target = container.querySelector(`.error[data-for="${key}"]`) || container.querySelector('.error');
            target.textContent = messages.join(' ');
          }
          if (!problem.errors) { result.hidden = false; result.textContent = problem.detail || problem.title; }
        }

        form.addEventListener('submit', async event => {
          event.preventDefault();
          const value = id => document.getElementById(id).value.trim() || null;
          const body = {
            type: value('type'),
            subject: { name: value('name'), email: value('email'), phone: value('phone') },
            channel: 'web-form',
            details: value('details'),
          };
          const response = await fetch('/api/requests', {
            method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
          });
          const answer = await response.json();
          if (!response.ok) { showErrors(form, answer); return; }
          requestId = answer.id;
          form.hidden = true;
          result.hidden = false;
          result.textContent = `Pyyntö vastaanotettu / Request received: ${answer.id}. Vastaamme viimeistään / We answer by ${answer.dueOn}.`;
          if (body.subject.email) {
            const sent = await fetch(`/api/requests/${requestId}/verification-code`, { method: 'POST' });
            verify.hidden = !sent.ok;
          }
        });

        verify.addEventListener('submit', async event => {
          event.preventDefault();
          const response = await fetch(`/api/requests/${requestId}/verification`, {
            method: 'POST', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ method: 'one-time-code', code: document.getElementById('code').value }),
          });
          const answer = await response.json();
          if (!response.ok) { showErrors(verify, answer); return; }
          verify.hidden = true;
          result.textContent += ' Henkilöllisyys vahvistettu / Identity verified.';
          if (answer.answerUrl) {
            // The only time the key is shown: the link is the requester's proof when they come back for the answer.
            const note = document.createElement('p');
            note.textContent = 'Tallenna tämä linkki: siitä saat vastauksen, kun pyyntö on käsitelty. / Keep this link: it shows the answer once the request is done.';
            const link = document.createElement('a');
            link.id = 'answer-link';
            link.href = answer.answerUrl;
            link.textContent = new URL(answer.answerUrl, location.href).href;
            result.append(note, link);
          }
        });
        </script>
        </body>
        </html>
        """;
}
