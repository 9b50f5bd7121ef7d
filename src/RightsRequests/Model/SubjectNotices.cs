using System.Globalization;

namespace Procexon.RightsRequests.Model;

/// <summary>
/// What the subject is told, in Finnish and English in one message (the request does not say which the subject reads).
/// </summary>
public static class SubjectNotices
{
    private static readonly CultureInfo s_finnish = CultureInfo.GetCultureInfo("fi-FI");
    private static readonly CultureInfo s_english = CultureInfo.GetCultureInfo("en-GB");

    public sealed record Notice(string Subject, string Fi, string En)
    {
        public string Body => $"{Fi}\n\n---\n\n{En}";
    }

    public static Notice VerificationCode(string code) => new(
        "Vahvistuskoodi / Verification code",
        $"Vahvistuskoodisi on {code}. Se on voimassa {Model.VerificationCode.Lifetime.TotalMinutes:0} minuuttia. Jos et tehnyt pyyntöä, voit jättää viestin huomiotta.",
        $"Your verification code is {code}. It is valid for {Model.VerificationCode.Lifetime.TotalMinutes:0} minutes. If you did not make a request, ignore this message.");

    public static Notice Extension(RightsRequest request) => new(
        "Pyyntösi käsittelyaikaa on jatkettu / The time to answer your request is extended",
        string.Create(s_finnish,
            $"Vastaanotimme pyyntösi {AnswerPeriod.FinnishDate(request.ReceivedAt):d.M.yyyy}. Jatkamme vastausaikaa {request.ExtensionMonths} kuukaudella (EU:n yleinen tietosuoja-asetus, 12 artiklan 3 kohta), ja vastaamme viimeistään {request.DueOn:d.M.yyyy}. Syy: {request.ExtensionReason}"),
        string.Create(s_english,
            $"We received your request on {AnswerPeriod.FinnishDate(request.ReceivedAt):d MMMM yyyy}. We extend the time to answer by {request.ExtensionMonths} month(s) (GDPR Article 12(3)) and will answer by {request.DueOn:d MMMM yyyy}. Reason: {request.ExtensionReason}"));

    public static Notice Refusal(RightsRequest request) => new(
        "Pyyntöösi ei ryhdytä / We will not act on your request",
        string.Create(s_finnish,
            $"Emme ryhdy pyyntöösi (vastaanotettu {AnswerPeriod.FinnishDate(request.ReceivedAt):d.M.yyyy}), koska se on ilmeisen perusteeton tai kohtuuton (EU:n yleinen tietosuoja-asetus, 12 artiklan 5 kohta). Syy: {request.RefusalReason} Voit tehdä valituksen tietosuojavaltuutetulle (tietosuoja.fi) tai hakea muutosta tuomioistuimelta."),
        string.Create(s_english,
            $"We will not act on your request (received {AnswerPeriod.FinnishDate(request.ReceivedAt):d MMMM yyyy}) because it is manifestly unfounded or excessive (GDPR Article 12(5)). Reason: {request.RefusalReason} You may lodge a complaint with the Data Protection Ombudsman (tietosuoja.fi) or seek a judicial remedy."));
}
