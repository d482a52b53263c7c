/** Teams activity-feed notifications (POST /users/{id}/teamwork/sendActivityNotification). */
import type { BatchResponseItem, GraphClient } from './client.js';

export interface ActivityNotification {
  /** What the notification is about: a Graph URL (entityUrl) or text with a webUrl (deep link). */
  topic: { source: 'entityUrl'; value: string } | { source: 'text'; value: string; webUrl: string };
  /** An activity type declared in the Teams app manifest (webApplicationInfo/activities). */
  activityType: string;
  previewText: { content: string };
  templateParameters?: { name: string; value: string }[];
  /** Required when the topic source is text and the app is not resolvable from the topic. */
  teamsAppId?: string;
  chainId?: number;
}

function body(notification: ActivityNotification): Record<string, unknown> {
  return {
    topic: notification.topic,
    activityType: notification.activityType,
    previewText: notification.previewText,
    templateParameters: notification.templateParameters ?? [],
    ...(notification.teamsAppId !== undefined ? { teamsAppId: notification.teamsAppId } : {}),
    ...(notification.chainId !== undefined ? { chainId: notification.chainId } : {}),
  };
}

export async function sendActivityNotification(client: GraphClient, userId: string, notification: ActivityNotification): Promise<void> {
  await client.post(`/users/${encodeURIComponent(userId)}/teamwork/sendActivityNotification`, body(notification));
}

/** The same notification to many users through $batch; returns the users for whom it failed. */
export async function sendActivityNotifications(
  client: GraphClient,
  userIds: readonly string[],
  notification: ActivityNotification,
): Promise<{ failed: { userId: string; status: number }[] }> {
  const payload = body(notification);
  const answers: BatchResponseItem[] = await client.batch(
    userIds.map((userId, index) => ({
      id: String(index + 1),
      method: 'POST' as const,
      url: `/users/${encodeURIComponent(userId)}/teamwork/sendActivityNotification`,
      body: payload,
    })),
  );
  const failed = answers
    .map((answer, index) => ({ userId: userIds[index]!, status: answer.status }))
    .filter((entry) => entry.status < 200 || entry.status >= 300);
  return { failed };
}
