/**
 * The Chinese voice prompts a caller hears, synthesised once with Debian's espeak-ng (`-v cmn`) and
 * converted by ffmpeg to raw 8 kHz G.711 (both laws), cached on disk by a hash of the text.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { G711 } from './rtp.ts';

const run = promisify(execFile);

export const PROMPT_TEXTS = {
  enterNumber: '欢迎使用语音接入。请输入会议号，以井号键结束。',
  enterPin: '欢迎参加视频会议。请输入会议密码，以井号键结束。',
  wrongPin: '密码错误，请重新输入。',
  joined: '您已加入会议。',
  noMeeting: '会议号不存在，请重新输入。',
  goodbye: '无法加入会议，再见。',
  removed: '您已被主会场移出会议，再见。',
} as const;
export type PromptName = keyof typeof PROMPT_TEXTS;

export type Prompts = Record<PromptName, Record<G711, Buffer>>;

async function synthesise(text: string, dir: string): Promise<Record<G711, Buffer>> {
  const key = createHash('sha256').update(`cmn|140|${text}`).digest('hex').slice(0, 16);
  const file = (law: G711) => path.join(dir, `${key}.${law === 'PCMU' ? 'ulaw' : 'alaw'}`);
  if (!fs.existsSync(file('PCMU')) || !fs.existsSync(file('PCMA'))) {
    const wav = path.join(dir, `${key}.wav`);
    await run('espeak-ng', ['-v', 'cmn', '-s', '140', '-w', wav, text]);
    for (const law of ['PCMU', 'PCMA'] as const) {
      const tmp = `${file(law)}.tmp`;
      await run('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-ar', '8000', '-ac', '1', '-f', law === 'PCMU' ? 'mulaw' : 'alaw', tmp]);
      fs.renameSync(tmp, file(law)); // complete files only: a crash mid-way does not leave a half prompt
    }
    fs.rmSync(wav, { force: true });
  }
  return { PCMU: fs.readFileSync(file('PCMU')), PCMA: fs.readFileSync(file('PCMA')) };
}

/** Every prompt, synthesised on first use of `dir` and read from it afterwards. */
export async function loadPrompts(dir: string): Promise<Prompts> {
  fs.mkdirSync(dir, { recursive: true });
  const out = {} as Prompts;
  for (const [name, text] of Object.entries(PROMPT_TEXTS)) out[name as PromptName] = await synthesise(text, dir);
  return out;
}
