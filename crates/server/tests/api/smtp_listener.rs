//! A small SMTP server for tests: speaks enough SMTP for lettre (220, EHLO/HELO, MAIL,
//! RCPT, DATA, RSET, NOOP, QUIT) and records every message it accepts. A message counts
//! as accepted only once the server has answered its DATA with 250, as in RFC 5321; a
//! gate can hold that answer back to freeze a sender mid-delivery.

use std::collections::BTreeMap;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The message as sent (CRLF line ends, dots unstuffed).
    pub data: String,
}

#[derive(Default)]
struct Shared {
    accepted: Mutex<Vec<Received>>,
    /// Messages beyond this many are held unanswered.
    accept_limit: AtomicUsize,
    /// Messages received in full but not answered yet.
    held: AtomicUsize,
    changed: Notify,
}

/// A running listener on 127.0.0.1.
#[derive(Clone)]
pub struct SmtpListener {
    pub port: u16,
    shared: Arc<Shared>,
}

impl SmtpListener {
    /// Starts listening on a free port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            accept_limit: AtomicUsize::new(usize::MAX),
            ..Shared::default()
        });
        let serving = shared.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, serving.clone()));
            }
        });
        Self { port, shared }
    }

    /// The `--smtp-url` of this listener.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Accept at most `limit` messages in all; hold the answer to any further one.
    pub fn accept_at_most(&self, limit: usize) {
        self.shared.accept_limit.store(limit, Ordering::SeqCst);
        self.shared.changed.notify_waiters();
    }

    /// Messages received in full whose answer is being held.
    pub fn held(&self) -> usize {
        self.shared.held.load(Ordering::SeqCst)
    }

    /// Every accepted message, in order.
    pub fn accepted(&self) -> Vec<Received> {
        self.shared.accepted.lock().unwrap().clone()
    }

    /// How many messages were accepted, and the distinct Message-IDs among them (sorted).
    pub fn message_ids(&self) -> (usize, Vec<String>) {
        let accepted = self.accepted();
        let mut ids: Vec<String> = accepted
            .iter()
            .map(|m| parse(&m.data).headers["message-id"].clone())
            .collect();
        ids.sort();
        ids.dedup();
        (accepted.len(), ids)
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>) {
    let socket = stream.as_raw_fd();
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    if write.write_all(b"220 test.local ESMTP\r\n").await.is_err() {
        return;
    }
    let mut mail_from = String::new();
    let mut rcpt_to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_owned();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-test.local\r\n250 8BITMIME\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                mail_from.clear();
                rcpt_to.clear();
                b"250 OK\r\n"
            }
            "MAIL" => {
                mail_from = address(&command);
                rcpt_to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                rcpt_to.push(address(&command));
                b"250 OK\r\n"
            }
            "QUIT" => {
                let _ = write.write_all(b"221 Bye\r\n").await;
                return;
            }
            "DATA" => {
                if write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    ack_now(socket);
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                // The gate: hold the answer while the limit is reached; a sender that
                // goes away meanwhile never delivered this message.
                let mut holding = false;
                loop {
                    let changed = shared.changed.notified();
                    let accepted = shared.accepted.lock().unwrap().len();
                    if accepted < shared.accept_limit.load(Ordering::SeqCst) {
                        break;
                    }
                    if !holding {
                        holding = true;
                        shared.held.fetch_add(1, Ordering::SeqCst);
                    }
                    line.clear();
                    tokio::select! {
                        () = changed => {}
                        read = lines.read_line(&mut line) => {
                            if read.unwrap_or(0) == 0 {
                                shared.held.fetch_sub(1, Ordering::SeqCst);
                                return;
                            }
                        }
                    }
                }
                if holding {
                    shared.held.fetch_sub(1, Ordering::SeqCst);
                }
                if write.write_all(b"250 OK: queued\r\n").await.is_err() {
                    return;
                }
                shared.accepted.lock().unwrap().push(Received {
                    mail_from: std::mem::take(&mut mail_from),
                    rcpt_to: std::mem::take(&mut rcpt_to),
                    data,
                });
                continue;
            }
            _ => b"502 Command not implemented\r\n",
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// Acknowledges what has arrived at once. lettre writes a message and its closing dot in
/// two writes, so (Nagle's algorithm) the dot waits for the message's ACK, which Linux
/// delays by up to 40 ms: each message would take that long.
fn ack_now(socket: RawFd) {
    let on: libc::c_int = 1;
    // SAFETY: `socket` is the session's open socket, and `on` outlives the call.
    unsafe {
        libc::setsockopt(
            socket,
            libc::IPPROTO_TCP,
            libc::TCP_QUICKACK,
            (&raw const on).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

/// The address in `MAIL FROM:<a@b>` or `RCPT TO:<a@b>`.
fn address(command: &str) -> String {
    command
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(address, _)| address.to_owned())
        .unwrap_or_default()
}

/// A received message taken apart: headers (unfolded, names lower-cased) and, for a
/// multipart message, each part's headers and decoded body.
#[derive(Debug)]
pub struct Parsed {
    pub headers: BTreeMap<String, String>,
    pub parts: Vec<(BTreeMap<String, String>, String)>,
}

/// Parses a message as lettre writes it (7bit, quoted-printable or base64 parts).
pub fn parse(data: &str) -> Parsed {
    let (head, body) = data.split_once("\r\n\r\n").expect("headers end");
    let headers = header_map(head);
    let content_type = headers.get("content-type").cloned().unwrap_or_default();
    let mut parts = Vec::new();
    if let Some(boundary) = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
    {
        let boundary = boundary.trim_matches('"');
        for chunk in body.split(&format!("--{boundary}")).skip(1) {
            if chunk.starts_with("--") {
                break;
            }
            let chunk = chunk.trim_start_matches("\r\n");
            let (part_head, part_body) = chunk.split_once("\r\n\r\n").unwrap_or((chunk, ""));
            let part_headers = header_map(part_head);
            let encoding = part_headers
                .get("content-transfer-encoding")
                .map(|e| e.to_ascii_lowercase())
                .unwrap_or_default();
            let decoded = match encoding.as_str() {
                "quoted-printable" => quoted_printable(part_body),
                "base64" => base64(part_body),
                _ => part_body.to_owned(),
            };
            parts.push((part_headers, decoded.replace("\r\n", "\n")));
        }
    }
    Parsed { headers, parts }
}

fn header_map(head: &str) -> BTreeMap<String, String> {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    let mut last = String::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some(value) = headers.get_mut(&last) {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            last = name.trim().to_ascii_lowercase();
            headers.insert(last.clone(), value.trim().to_owned());
        }
    }
    headers
}

fn quoted_printable(text: &str) -> String {
    let mut bytes = Vec::new();
    let raw = text.replace("=\r\n", "");
    let raw = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'=' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                bytes.push(byte);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8(bytes).expect("UTF-8 text")
}

fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in text.bytes() {
        let Some(value) = ALPHABET.iter().position(|&a| a == c) else {
            continue;
        };
        bits = (bits << 6) | value as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(bytes).expect("UTF-8 text")
}

#[test]
fn the_decoders_read_what_mail_encoders_write() {
    assert_eq!(quoted_printable("a=3Db=\r\nc =C3=BC"), "a=bc ü");
    assert_eq!(base64("aGVsbG8g\r\nd29ybGQ="), "hello world");
}
