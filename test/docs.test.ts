// The README is the front door and docs/ the rest: a newcomer who follows a link must land
// on a file that exists and, when the link names a section, on that section.
import { expect, test } from "bun:test";
import { Glob } from "bun";
import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const ROOT = join(import.meta.dir, "..");
const PAGES = ["README.md", ...Array.from(new Glob("docs/*.md").scanSync({ cwd: ROOT })).sort()];

/** Markdown outside fenced code blocks, where a bracket may be code rather than a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
}

/** Section anchors as GitHub makes them: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const [, title] of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
    const slug = title!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return found;
}

function relativeLinks(markdown: string): string[] {
  const links = [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
  return links.filter((link) => !/^[a-z][a-z0-9+.-]*:/i.test(link));
}

test("the README stays a front door of at most 250 lines", async () => {
  const readme = await Bun.file(join(ROOT, "README.md")).text();
  expect(readme.trimEnd().split("\n").length).toBeLessThanOrEqual(250);
});

test("every relative link of the README and docs/ reaches a file, and its section", async () => {
  const broken: string[] = [];
  for (const page of PAGES) {
    const markdown = await Bun.file(join(ROOT, page)).text();
    for (const link of relativeLinks(markdown)) {
      const [path, anchor] = link.split("#") as [string, string | undefined];
      const target = path === "" ? join(ROOT, page) : join(ROOT, dirname(page), path);
      if (!existsSync(target)) {
        broken.push(`${page} → ${link}: no ${relative(ROOT, target)}`);
        continue;
      }
      if (anchor !== undefined && !anchors(await Bun.file(target).text()).has(anchor)) broken.push(`${page} → ${link}: no such section`);
    }
  }
  expect(broken).toEqual([]);
});

test("the link check sees a broken link and a missing section", () => {
  expect(relativeLinks("[a](docs/x.md#y) [b](https://mob.sh)\n```sh\n[c](z.md)\n```\n")).toEqual(["docs/x.md#y"]);
  expect(anchors("# Redis over TLS (`rediss://`)\n## Webhooks: word to the team's chat\n## Limits\n## Limits")).toEqual(
    new Set(["redis-over-tls-rediss", "webhooks-word-to-the-teams-chat", "limits", "limits-1"]),
  );
});
