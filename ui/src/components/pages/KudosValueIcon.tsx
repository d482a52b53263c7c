import {
  HeartRegular,
  LightbulbRegular,
  PeopleTeamRegular,
  PersonHeartRegular,
  ShieldRegular,
  StarRegular,
  TrophyRegular,
  RocketRegular,
  HandshakeRegular,
  LeafOneRegular,
  type FluentIcon,
} from '@fluentui/react-icons';
import type { Schemas } from '../../api/client.js';

/**
 * The icons a company value may name (Fluent UI icon names, as the tenant's values store them).
 * A name outside this set shows a star: icons are bundled, not looked up by name at run time.
 */
const icons: Record<string, FluentIcon> = {
  PeopleTeam: PeopleTeamRegular,
  PersonHeart: PersonHeartRegular,
  Lightbulb: LightbulbRegular,
  Shield: ShieldRegular,
  Heart: HeartRegular,
  Trophy: TrophyRegular,
  Rocket: RocketRegular,
  Handshake: HandshakeRegular,
  Leaf: LeafOneRegular,
  Star: StarRegular,
};

export function KudosValueIcon({ value, size = 20 }: { value: Pick<Schemas['KudosValue'], 'icon' | 'colour'>; size?: number }) {
  const Icon = icons[value.icon] ?? StarRegular;
  return <Icon fontSize={size} style={{ color: value.colour }} aria-hidden="true" />;
}

/** The value's name in the page's language. */
export function valueName(value: Pick<Schemas['KudosValue'], 'name'>, language: string): string {
  return language.startsWith('fr') ? value.name.fr : value.name.en;
}
