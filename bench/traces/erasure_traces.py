#!/usr/bin/env python3
"""Erasures one at a time through the gateway, each in a trace of its own, and where each one's time went.

  erasure_traces.py send GATEWAY N       loads N demo subjects (records in all ten registers, a disclosure to the
                                         accounting firm, an erasure request), then verifies the requests 2 s apart,
                                         each with a W3C traceparent of its own; prints "request trace status" lines
  erasure_traces.py summarize DIR        reads DIR/traces.txt and DIR/<trace>.json (spans from the dashboard, as
                                         `aspire otel spans --trace-id T --format Json` gives them) and prints the
                                         steps of the flow and the PostgreSQL round trips per service
"""
import datetime, glob, json, os, statistics, sys, time, urllib.request, uuid


def post(gateway, path, body, headers=None):
    request = urllib.request.Request(gateway + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None


def get(gateway, path):
    with urllib.request.urlopen(gateway + path) as response:
        return json.loads(response.read())


def send(gateway, n):
    # The same records as the bench's load phase (bench/Procexon.Bench/LoadPhase.cs).
    voucher = "2025-03-10"
    backup_day = str(datetime.date.today() - datetime.timedelta(days=10))
    run = uuid.uuid4().hex[:8]
    requests = []
    for i in range(n):
        email = f"trace-{run}-{i}@example.fi"
        subject = post(gateway, "/api/subjects", {"name": f"Testi Henkilö {i}", "email": email, "customerNumber": f"T{run}-{i}"})
        records = [
            ("customers", "customer-contract", {"order": f"Tilaus 2025-{i}"}, None),
            ("customers", "basic-data", {"title": "Talouspäällikkö"}, None),
            ("suppliers", "basic-data", {"company": "Toimittaja Oy", "role": "yhteyshenkilö"}, None),
            ("marketing", "direct-marketing", {"newsletter": "yes"}, None),
            ("stakeholders", "event-registrations", {"event": "Procexon-päivä 2025"}, None),
            ("web-users", "credentials", {"username": f"trace{run}{i}"}, None),
            ("contacts", "basic-data", {"channel": "e-mail"}, None),
            ("email-archive", "correspondence", {"subject": "Tarjouspyyntö"}, None),
            ("email-archive", "accounting-material", {"subject": f"Lasku {1000 + i}"}, voucher),
            ("accounting-payroll", "accounting-material", {"invoice": f"{1000 + i}", "amount": "1240.00"}, voucher),
            ("employees", "payroll", {"month": "2025-02", "gross": "3650.00"}, voucher),
            ("employees", "employment", {"kind": "employment-certificate", "duties": "konsultti", "employmentEnded": "2024-12-31"}, None),
            ("employees", "employment", {"kind": "working-time", "hours": "162.5", "employmentEnded": "2024-12-31"}, None),
            ("backups", "backup-copies", {"backup": "nightly"}, backup_day),
        ]
        for register, category, fields, recorded_on in records:
            post(gateway, f"/api/registers/{register}/records",
                 {"subjectId": subject["id"], "category": category, "fields": fields, "recordedOn": recorded_on})
        post(gateway, "/api/disclosures", {"recipientId": "accounting-firm", "subjectId": subject["id"],
                                           "categories": ["basic-data", "accounting-material"], "legalBasis": "law",
                                           "subject": {"email": email}})
        requests.append(post(gateway, "/api/requests", {"type": "erasure", "subject": {"email": email}, "channel": "email"})["id"])
    time.sleep(5)  # let the load's own messages settle
    for request_id in requests:
        trace = uuid.uuid4().hex
        post(gateway, f"/api/requests/{request_id}/verification", {"method": "staff-id-document", "verifiedBy": "traces"},
             {"traceparent": f"00-{trace}-{uuid.uuid4().hex[:16]}-01"})
        time.sleep(2)  # one erasure at a time: the unloaded latency
        print(request_id, trace, get(gateway, f"/api/requests/{request_id}").get("status"), flush=True)


def parse(timestamp):
    timestamp = timestamp.rstrip("Z")
    if "." in timestamp:
        whole, fraction = timestamp.split(".")
        timestamp = whole + "." + (fraction + "000000")[:6]
    return datetime.datetime.fromisoformat(timestamp)


STEPS = [
    ("scope resolved (Registry)", "registry-resolve-erasure-scope process"),
    ("recipients notified (DisclosureLog)", "disclosurelog-notify-recipients-of-erasure process"),
    ("processor erased its copy (AccountingFirm)", "accounting-firm-erase-client-data process"),
    ("processor's confirmation recorded (DisclosureLog)", "disclosurelog-record-processor-confirmation process"),
    ("recipient's confirmation recorded (RightsRequests)", "rightsrequests-record-recipient-confirmation process"),
    ("completed: RightsRequestCompleted published", "outbox publish RightsRequestCompleted"),
]


def summarize(folder):
    completed = [line.split()[1] for line in open(os.path.join(folder, "traces.txt")) if line.split()[2:] == ["completed"]]
    steps = {label: [] for label, _ in STEPS}
    first_answer, last_answer, spans_per_trace = [], [], []
    trips, trip_ms = {}, {}
    used = 0
    for trace in completed:
        path = os.path.join(folder, trace + ".json")
        spans = json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) > 0 else []
        if not spans:
            continue
        used += 1
        spans_per_trace.append(len(spans))
        start = min(parse(s["timestamp"]) for s in spans)
        at = lambda s: (parse(s["timestamp"]) - start).total_seconds() * 1000
        for label, name in STEPS:
            matching = [at(s) for s in spans if s["name"] == name]
            if matching:
                steps[label].append(min(matching))
        answers = [at(s) for s in spans if s["name"] == "outbox publish ErasureCompleted"]
        if answers:
            first_answer.append(min(answers))
            last_answer.append(max(answers))
        for s in spans:
            if s["name"] == "postgresql":
                trips[s["source"]] = trips.get(s["source"], 0) + 1
                trip_ms[s["source"]] = trip_ms.get(s["source"], 0) + s["durationMs"]
    if used == 0:
        sys.exit("no completed erasure with spans: was the dashboard reachable?")
    print(f"{used} erasures, one at a time; {statistics.mean(spans_per_trace):.0f} spans per erasure")
    print(f"{'step (when it started, ms after the verification reached the gateway)':72} {'p50':>7} {'max':>7}")
    rows = [(STEPS[0][0], steps[STEPS[0][0]]),
            ("first register's answer published (Registry outbox)", first_answer),
            ("last register's answer published (Registry outbox)", last_answer)]
    rows += [(label, steps[label]) for label, _ in STEPS[1:]]
    for label, values in rows:
        if values:
            print(f"{label:72} {statistics.median(values):7.1f} {max(values):7.1f}")
    print(f"{'PostgreSQL round trips per erasure (client spans)':52} {'count':>7} {'summed ms':>10}")
    for service in sorted(trips):
        print(f"  {service:50} {trips[service] / used:7.1f} {trip_ms[service] / used:10.1f}")
    print(f"  {'all services':50} {sum(trips.values()) / used:7.1f} {sum(trip_ms.values()) / used:10.1f}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "send":
        send(sys.argv[2].rstrip("/"), int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "summarize":
        summarize(sys.argv[2])
    else:
        sys.exit(__doc__)
