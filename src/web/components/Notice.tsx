import type { ComponentChildren } from 'preact';
import { errorInWords } from '../lib/api.js';

/** A message where the person acted: role=alert for refusals, status for outcomes. */
export function Notice(props: { tone: 'error' | 'ok' | 'info'; title: string; children?: ComponentChildren; rule?: string }) {
  return (
    <div class={`notice notice-${props.tone}`} role={props.tone === 'error' ? 'alert' : 'status'}>
      <p class="notice-title">
        {props.rule ? <span class="rule-id">{props.rule}</span> : null}
        {props.title}
      </p>
      {props.children ? <div class="notice-body">{props.children}</div> : null}
    </div>
  );
}

export function ErrorNotice(props: { error: unknown; acting?: string }) {
  const words = errorInWords(props.error, props.acting);
  return (
    <Notice tone="error" title={words.title} {...(words.rule ? { rule: words.rule } : {})}>
      <p>{words.detail}</p>
    </Notice>
  );
}
