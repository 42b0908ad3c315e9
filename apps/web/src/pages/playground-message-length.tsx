import { MAX_MESSAGE_CHARACTERS } from '@pollybot/contracts';
import { formatNumber } from '../lib/format.ts';

/** "1,204 / 32,000" under the message box: the message's length against the API's limit, red past it. */
export function MessageLength({ id, length }: { id: string; length: number }) {
  const isTooLong = length > MAX_MESSAGE_CHARACTERS;
  return (
    <p id={id} className={`composer__length${isTooLong ? ' composer__length--over' : ''}`}>
      <span className="visually-hidden">Message length: </span>
      {formatNumber(length)} / {formatNumber(MAX_MESSAGE_CHARACTERS)} characters
      {isTooLong ? ` — ${formatNumber(length - MAX_MESSAGE_CHARACTERS)} over the limit` : ''}
    </p>
  );
}
