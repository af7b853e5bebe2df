// The simulated portal's staff beyond the admin and Anna: fifty operators in all, with names in the
// scripts a call centre in the portal's markets has (Latin, Cyrillic, accents), some with a photo.
import type { SimUser } from './rest-portal.ts';

const FIRST = [
  'Boris',
  'Chiara',
  'Dilnoza',
  'Ольга',
  'Jürgen',
  'Marta',
  'Игорь',
  'Léa',
  'Sven',
  'Наталья',
  'Tomás',
  'Aigerim',
];
const LAST = [
  'Petrov',
  'Rossi',
  'Karimova',
  'Смирнова',
  'Weiß',
  'Nowak',
  'Кузнецов',
  'Dubois',
  'Larsen',
  'Волкова',
  'García',
  'Bekova',
];

/** Operators 8 to 56; 8, 9 and 10 keep the names the simulator always had. */
export const OPERATORS: readonly SimUser[] = Array.from({ length: 49 }, (_, i) => {
  const id = 8 + i;
  const name = i < 12 ? `${FIRST[i]} ${LAST[i]}` : `${FIRST[i % 12]} ${LAST[(i * 5 + 3) % 12]}`;
  return { id, name, isAdmin: false };
});

/** Every third person has no photo, as in a real portal; the app then shows initials. */
export const hasPhoto = (userId: number): boolean => userId % 3 !== 0;

const COLOURS = ['#2fc6f6', '#9dcf00', '#ff5752', '#ffa900', '#559be6', '#7a5aa6', '#1bce7b', '#f7a700'];

/** A small avatar picture: the person's initials on a colour of their own. */
export function avatarSvg(user: SimUser): string {
  const initials = user.name
    .split(' ')
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2);
  const colour = COLOURS[user.id % COLOURS.length];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" fill="${colour}"/><text x="32" y="41" font-family="sans-serif" font-size="26" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
}
