/**
 * Shell completion scripts, generated from the commander program itself so they never fall behind
 * the commands and options. Static word lists: completing a function or secret name would need AWS.
 */
import type { Command } from 'commander';

interface Spec {
  name: string;
  description: string;
  options: string[];
}

function specs(program: Command): { globals: string[]; commands: Spec[] } {
  const flags = (c: Command) => c.options.filter((o) => !o.hidden).flatMap((o) => [o.long, o.short]).filter((f): f is string => Boolean(f));
  const globals = [...new Set([...flags(program), '--help'])];
  const commands = program.commands.map((c) => ({ name: c.name(), description: c.description().split(/[.:(]/)[0]!.trim(), options: flags(c).filter((f) => !globals.includes(f)) }));
  return { globals, commands };
}

export function completionScript(shell: 'bash' | 'zsh' | 'fish', program: Command): string {
  const spec = specs(program);
  if (shell === 'bash') return bash(spec);
  if (shell === 'zsh') return zsh(spec);
  return fish(spec);
}

function bash({ globals, commands }: ReturnType<typeof specs>): string {
  const cases = commands.map((c) => `    ${c.name}) words="${[...c.options, ...globals].join(' ')}" ;;`).join('\n');
  return `# weather-secrets bash completion: source it, or put it in bash-completion's completions folder.
_weather_secrets() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="" words i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$cmd" in
${cases}
    *) words="${commands.map((c) => c.name).join(' ')} ${globals.join(' ')}" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _weather_secrets weather-secrets
`;
}

function zsh({ globals, commands }: ReturnType<typeof specs>): string {
  const q = (s: string) => s.replace(/'/g, "'\\''").replace(/:/g, '\\:');
  const list = commands.map((c) => `    '${c.name}:${q(c.description)}'`).join('\n');
  const cases = commands.map((c) => `    ${c.name}) compadd -- ${[...c.options, ...globals].join(' ')} ;;`).join('\n');
  return `#compdef weather-secrets
# weather-secrets zsh completion: put it on your $fpath as _weather-secrets.
_weather_secrets() {
  local -a commands
  commands=(
${list}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    compadd -- ${globals.join(' ')}
    return
  fi
  case "\${words[2]}" in
${cases}
  esac
}
_weather_secrets "$@"
`;
}

function fish({ globals, commands }: ReturnType<typeof specs>): string {
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const names = commands.map((c) => c.name).join(' ');
  const lines = ['# weather-secrets fish completion: put it in ~/.config/fish/completions/.', 'complete -c weather-secrets -f'];
  for (const c of commands) lines.push(`complete -c weather-secrets -n "not __fish_seen_subcommand_from ${names}" -a ${c.name} -d ${q(c.description)}`);
  for (const c of commands) {
    for (const o of c.options.filter((x) => x.startsWith('--'))) lines.push(`complete -c weather-secrets -n "__fish_seen_subcommand_from ${c.name}" -l ${o.slice(2)}`);
  }
  for (const o of globals.filter((x) => x.startsWith('--'))) lines.push(`complete -c weather-secrets -l ${o.slice(2)}`);
  return `${lines.join('\n')}\n`;
}
