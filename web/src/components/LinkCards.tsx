import { Link } from 'react-router-dom';

export type LinkCard = { to: string; title: string; description: string };

/** Shortcuts from a home page to the places people go next. */
export function LinkCards({ label, cards }: { label: string; cards: readonly LinkCard[] }) {
  if (cards.length === 0) return null;
  return (
    <ul className="link-cards" aria-label={label}>
      {cards.map((card) => (
        <li key={card.to}>
          <Link className="link-card" to={card.to}>
            <span className="link-card__title">{card.title}</span>
            <span className="link-card__description">{card.description}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
