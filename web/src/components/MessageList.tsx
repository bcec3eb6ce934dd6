import { withLocalTimes } from '../format.ts';

/**
 * What the hub said of a file or a request, one point a message (a file's notes, a load's, the problems of a
 * learner checked); nothing when it said nothing. `inBanner`: the list sits in a banner, spaced as its text.
 */
export function MessageList({ messages, inBanner = false }: { messages: readonly { message: string }[]; inBanner?: boolean }) {
  if (messages.length === 0) return null;
  return (
    <ul className={inBanner ? 'banner__problems' : undefined}>
      {messages.map((item, index) => (
        <li key={index}>{withLocalTimes(item.message)}</li>
      ))}
    </ul>
  );
}
