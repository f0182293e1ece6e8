// One notice as each receiver wants it: the generic signed JSON, Slack's and Mattermost's
// incoming webhooks, a Teams workflow's Adaptive Card, and an ntfy topic's plain text.
import type { HookFormat, Target } from "../domain/settings.ts";
import type { Notice } from "./notices.ts";
import { signatureHeaders } from "./signing.ts";

export interface HookRequest {
  body: string;
  headers: Record<string, string>;
}

const JSON_HEADERS = { "Content-Type": "application/json" };

/** Slack's mrkdwn reads &, < and > as markup; user text must not become a link or a mention. */
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Mattermost reads Markdown: user text is shown as typed. */
function markdownEscape(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+!|<>~])/g, "\\$1");
}

function slack(notice: Notice, roomUrl: string | null): unknown {
  const room = roomUrl ? `<${roomUrl}|#${notice.room}>` : `#${notice.room}`;
  return {
    text: `${notice.text} (#${notice.room})`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${slackEscape(notice.text)}*` } },
      { type: "context", elements: [{ type: "mrkdwn", text: `${room} · mob timer` }] },
    ],
  };
}

function mattermost(notice: Notice, roomUrl: string | null): unknown {
  const room = roomUrl ? `[#${notice.room}](${roomUrl})` : `#${notice.room}`;
  return { text: `${markdownEscape(notice.text)} · ${room}` };
}

/** The message a Teams "post to a channel when a webhook request is received" workflow takes. */
function teams(notice: Notice, roomUrl: string | null): unknown {
  const card = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body: [
      { type: "TextBlock", text: notice.title, weight: "Bolder", size: "Medium", wrap: true },
      { type: "TextBlock", text: notice.text, wrap: true },
    ],
    ...(roomUrl ? { actions: [{ type: "Action.OpenUrl", title: `Open #${notice.room}`, url: roomUrl }] } : {}),
  };
  return { type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card }] };
}

/** ntfy takes the message as the body and the rest as headers (ASCII only: the title names the room, not people). */
function ntfy(notice: Notice, roomUrl: string | null): HookRequest {
  const headers: Record<string, string> = {
    "Content-Type": "text/plain; charset=utf-8",
    Title: notice.title,
    Tags: notice.tags.join(","),
    Priority: notice.urgent ? "high" : "default",
  };
  if (roomUrl) headers.Click = roomUrl;
  return { body: notice.text, headers };
}

function generic(hook: Target, notice: Notice, roomUrl: string | null, nowMs: number): HookRequest {
  const body = JSON.stringify({ event: notice.event, room: notice.room, time: notice.time, text: notice.text, url: roomUrl, details: notice.details });
  const signed = hook.secret === null ? {} : signatureHeaders(hook.secret, body, nowMs);
  return { body, headers: { ...JSON_HEADERS, "X-Mob-Timer-Event": notice.event, ...signed } };
}

const CHAT: Record<Exclude<HookFormat, "json" | "ntfy">, (notice: Notice, roomUrl: string | null) => unknown> = { slack, mattermost, teams };

/** What to send to `hook` for `notice`; `roomUrl` links to the room's page when the server knows its public URL. */
export function hookRequest(hook: Target, notice: Notice, roomUrl: string | null, nowMs: number): HookRequest {
  if (hook.format === "json") return generic(hook, notice, roomUrl, nowMs);
  if (hook.format === "ntfy") return ntfy(notice, roomUrl);
  return { body: JSON.stringify(CHAT[hook.format](notice, roomUrl)), headers: JSON_HEADERS };
}
