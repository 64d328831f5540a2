#!/usr/bin/env python3
"""Builds the module's MAML help (what Get-Help reads for a binary module) from one Markdown
file per cmdlet in module/help/, in the spirit of PlatyPS (which is not available here).

  mdtomaml.py HELP_DIR OUT.xml

Markdown shape (PlatyPS-like):
  # Verb-Noun
  ## SYNOPSIS            one paragraph
  ## DESCRIPTION         paragraphs
  ## EXAMPLES
  ### Example 1: title
  ```powershell
  code
  ```
  remarks paragraphs
  ## PARAMETERS
  ### -Name
  description
  ## OUTPUTS            (optional) type names, one per line
"""
import os, re, sys
from xml.sax.saxutils import escape

NS = ('xmlns:maml="http://schemas.microsoft.com/maml/2004/10" '
      'xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" '
      'xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10"')


def sections(text):
    out, cur, buf = {}, None, []
    for line in text.splitlines():
        m = re.match(r'^## (.+)$', line)
        if m:
            if cur: out[cur] = "\n".join(buf).strip()
            cur, buf = m.group(1).strip().upper(), []
        elif cur:
            buf.append(line)
    if cur: out[cur] = "\n".join(buf).strip()
    return out


def paras(text):
    return "".join("<maml:para>%s</maml:para>" % escape(" ".join(p.split()))
                   for p in re.split(r'\n\s*\n', text.strip()) if p.strip())


def sub(text):
    """### headings → [(title, body)]"""
    parts = re.split(r'^### (.+)$', text, flags=re.M)
    return [(parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts), 2)]


def command(path):
    text = open(path, encoding="utf-8").read()
    name = re.search(r'^# (\S+)', text, re.M).group(1)
    verb, noun = name.split("-", 1)
    s = sections(text)
    x = ['<command:command %s>' % NS,
         '<command:details><command:name>%s</command:name><command:verb>%s</command:verb>'
         '<command:noun>%s</command:noun><maml:description>%s</maml:description></command:details>'
         % (name, verb, noun, paras(s.get("SYNOPSIS", ""))),
         '<maml:description>%s</maml:description>' % paras(s.get("DESCRIPTION", ""))]
    params = sub(s.get("PARAMETERS", ""))
    x.append('<command:parameters>')
    for title, body in params:
        x.append('<command:parameter required="false" pipelineInput="false" globbing="false">'
                 '<maml:name>%s</maml:name><maml:description>%s</maml:description></command:parameter>'
                 % (escape(title.lstrip("-")), paras(body)))
    x.append('</command:parameters>')
    outs = [l.strip() for l in s.get("OUTPUTS", "").splitlines() if l.strip()]
    if outs:
        x.append('<command:returnValues>' + "".join(
            '<command:returnValue><dev:type><maml:name>%s</maml:name></dev:type></command:returnValue>' % escape(o)
            for o in outs) + '</command:returnValues>')
    x.append('<command:examples>')
    for title, body in sub(s.get("EXAMPLES", "")):
        m = re.search(r'```\w*\n(.*?)```', body, re.S)
        code = m.group(1).rstrip() if m else ""
        remarks = body[m.end():] if m else body
        x.append('<command:example><maml:title>--- %s ---</maml:title><dev:code>%s</dev:code>'
                 '<dev:remarks>%s</dev:remarks></command:example>' % (escape(title), escape(code), paras(remarks)))
    x.append('</command:examples>')
    x.append('</command:command>')
    return name, "\n".join(x)


def main():
    src, out = sys.argv[1], sys.argv[2]
    cmds = [command(os.path.join(src, f)) for f in sorted(os.listdir(src)) if f.endswith(".md")]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<helpItems schema="maml" %s>\n' % NS)
        for _, c in cmds:
            f.write(c + "\n")
        f.write('</helpItems>\n')
    print("%d commands -> %s" % (len(cmds), out))


if __name__ == "__main__":
    main()
