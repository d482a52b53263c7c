import { Button, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger } from '@fluentui/react-components';
import { ChevronDownRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReactionKind } from '../api/client.js';
import { reactionIcon, reactionKinds } from './PostCard.js';

/**
 * The post card's "more reactions" menu. Its own module, loaded the first time a reader opens
 * it (Fluent's menu and positioning code stay off the home page until then); it mounts open,
 * with the focus on the first reaction, and gives the focus back to its button when it closes.
 */
export default function PostCardReactionMenu({ mine, onReact }: { mine: ReactionKind | null; onReact(kind: ReactionKind | null): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(true);
  return (
    <Menu open={open} onOpenChange={(_e, data) => setOpen(data.open)}>
      <MenuTrigger disableButtonEnhancement>
        <Button size="small" appearance="subtle" icon={<ChevronDownRegular />} aria-label={t('feed.moreReactions')} aria-haspopup="menu" aria-expanded={open} />
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {reactionKinds.map((kind) => (
            <MenuItem key={kind} icon={reactionIcon[kind]} onClick={() => onReact(kind === mine ? null : kind)}>
              {kind === mine ? t('feed.removeReaction', { reaction: t(`feed.reactionKinds.${kind}`) }) : t(`feed.reactionKinds.${kind}`)}
            </MenuItem>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
