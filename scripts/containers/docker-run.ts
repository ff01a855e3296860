/**
 * Reads a literal `docker run …` line (the one the board gives) into what the fallback runtime
 * needs: the image, the name and the `-e KEY=VALUE` environment. Pure: no shell runs it, so a
 * line the parser does not fully understand is refused rather than half-read.
 */

export interface DockerRun {
  image: string;
  name: string | null;
  env: Record<string, string>;
  /** `--cap-add` values, `--device` paths, `--restart` policy: what the fallback gives by hand. */
  capAdd: string[];
  devices: string[];
  restart: string | null;
  detach: boolean;
  /** What follows the image: the command, if any. */
  args: string[];
}

/** Flags that take a value (`--flag value` or `--flag=value`); any other flag is refused unless listed as a switch. */
const VALUE_FLAGS = new Set(["--name", "--restart", "--cap-add", "--device", "-e", "--env", "--network", "--hostname", "-h"]);
const SWITCHES = new Set(["-d", "--detach", "--rm", "-i", "-t", "-it"]);

/** Splits a shell line into words as `/bin/sh` would for plain words and quotes; throws on anything a shell would expand or join. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error("unterminated ' in the docker run line");
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      let text = "";
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) text += line[++i];
        else if ("$`".includes(line[i]!)) throw new Error(`the docker run line expands ${line[i]} inside quotes; refusing to guess its value`);
        else text += line[i];
      }
      if (i >= line.length) throw new Error('unterminated " in the docker run line');
      word = (word ?? "") + text;
    } else if (ch === "\\") {
      if (i + 1 >= line.length) throw new Error("a trailing \\ in the docker run line");
      word = (word ?? "") + line[++i];
    } else if ("$`;&|<>()*?[]{}~#".includes(ch)) {
      throw new Error(`the docker run line has an unquoted ${ch}, which a shell would interpret; refusing to guess`);
    } else word = (word ?? "") + ch;
  }
  if (word !== null) words.push(word);
  return words;
}

/** Parses `docker run [flags] image [args…]`; throws naming what it does not understand. */
export function parseDockerRun(line: string): DockerRun {
  const words = shellWords(line.trim());
  if (words[0] !== "docker" || words[1] !== "run") throw new Error(`not a docker run line: ${words.slice(0, 2).join(" ")}`);
  const run: DockerRun = { image: "", name: null, env: {}, capAdd: [], devices: [], restart: null, detach: false, args: [] };
  let i = 2;
  for (; i < words.length && words[i]!.startsWith("-"); i++) {
    const word = words[i]!;
    if (SWITCHES.has(word)) {
      if (word === "-d" || word === "--detach") run.detach = true;
      continue;
    }
    const eq = word.startsWith("--") ? word.indexOf("=") : -1;
    const flag = eq > 0 ? word.slice(0, eq) : word;
    if (!VALUE_FLAGS.has(flag)) throw new Error(`docker run flag ${flag} is not understood here`);
    const value = eq > 0 ? word.slice(eq + 1) : words[++i];
    if (value === undefined) throw new Error(`docker run flag ${flag} has no value`);
    if (flag === "-e" || flag === "--env") {
      const at = value.indexOf("=");
      // `-e KEY` alone takes the value from the caller's environment: not this line's to say.
      if (at <= 0) throw new Error(`-e ${value}: only KEY=VALUE is understood here`);
      run.env[value.slice(0, at)] = value.slice(at + 1);
    } else if (flag === "--name") run.name = value;
    else if (flag === "--restart") run.restart = value;
    else if (flag === "--cap-add") run.capAdd.push(value);
    else if (flag === "--device") run.devices.push(value);
  }
  if (i >= words.length) throw new Error("the docker run line names no image");
  run.image = words[i]!;
  run.args = words.slice(i + 1);
  return run;
}
