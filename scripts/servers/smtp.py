"""The platform's mail server for Development and the tests: Debian's aiosmtpd on one loopback port, keeping every
message it receives as one .eml file in a folder, and relaying nothing.

    usage: smtp.py MAIL_DIR PORT

Each file is written under a temporary name and renamed into place, so a reader never sees half a message. Names
sort in the order the messages arrived. The envelope's sender and recipients come first as X-MailFrom and X-RcptTo
headers (as aiosmtpd's own Message handler adds them). Nothing it prints names an address or a body: file names only.
"""

import asyncio
import datetime
import os
import signal
import sys
import uuid

from aiosmtpd.smtp import SMTP


class KeepAsFiles:
    def __init__(self, directory: str):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        headers = [f"X-MailFrom: {envelope.mail_from}"] + [f"X-RcptTo: {rcpt}" for rcpt in envelope.rcpt_tos]
        content = envelope.original_content if isinstance(envelope.content, str) else envelope.content
        data = ("\r\n".join(headers) + "\r\n").encode("utf-8") + content
        temporary = os.path.join(self.directory, f".{name}.tmp")
        # Codes and addresses are in the mail: readable by this user alone.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, os.path.join(self.directory, name))
        print(f"smtp: stored {name}", flush=True)
        return "250 Message accepted for delivery"


async def serve(directory: str, port: int) -> None:
    loop = asyncio.get_running_loop()
    handler = KeepAsFiles(directory)
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="procexon-mail", enable_SMTPUTF8=True), host="127.0.0.1", port=port)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"smtp: listening on 127.0.0.1:{port}, keeping mail in {directory}", flush=True)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: smtp.py MAIL_DIR PORT")
    directory, port = os.path.abspath(sys.argv[1]), int(sys.argv[2])
    os.makedirs(directory, mode=0o700, exist_ok=True)
    # Left by a server killed mid-write: never a whole message.
    for name in os.listdir(directory):
        if name.endswith(".tmp"):
            os.remove(os.path.join(directory, name))
    asyncio.run(serve(directory, port))


if __name__ == "__main__":
    main()
