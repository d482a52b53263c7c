import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Db, BIOGRAPHY_MAX, TAGS_MAX, TAG_LENGTH_MAX, endorseSkill, getOrgChart, getProfile, updateMyProfile, verifyBiography, withdrawEndorsement } from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const summarySchema = z.object({ id: z.uuid(), displayName: z.string(), jobTitle: z.string().nullable(), department: z.string().nullable() }).meta({ id: 'PersonSummary' });
const visibility = z.enum(['everyone', 'manager', 'private']);
const fields = ['biography', 'languages', 'askMeAbout', 'skills', 'office', 'communities', 'kudos'] as const;
const privacySchema = z.partialRecord(z.enum(fields), visibility);
const verificationSchema = z
  .object({ status: z.enum(['unverified', 'verified', 'expired']), verifiedAt: z.string().nullable(), verifiedBy: summarySchema.nullable(), expiresAt: z.string().nullable() })
  .meta({ id: 'BiographyVerification' });

const profileSchema = z
  .object({
    id: z.uuid(), upn: z.string(), mail: z.string().nullable(), displayName: z.string(), givenName: z.string().nullable(), surname: z.string().nullable(),
    jobTitle: z.string().nullable(), department: z.string().nullable(), office: z.string().nullable(), country: z.string().nullable(),
    preferredLanguage: z.string().nullable(), isFormerEmployee: z.boolean(),
    managerChain: z.array(summarySchema), directReports: z.array(summarySchema), directReportCount: z.number().int(),
    communities: z.array(z.object({ id: z.uuid(), slug: z.string(), name: z.string(), role: z.string() })).nullable(),
    kudosReceived: z.number().int().nullable(),
    skills: z.array(z.object({
      name: z.string(), sources: z.array(z.enum(['declared', 'directory', 'endorsed', 'inferred'])), endorsements: z.number().int(),
      endorsedByViewer: z.boolean(), evidence: z.object({ acceptedAnswers: z.number().int(), posts: z.number().int() }).nullable(),
    })).nullable(),
    askMeAbout: z.array(z.string()).nullable(), languages: z.array(z.string()).nullable(), biography: z.string().nullable(),
    biographyVerification: verificationSchema.nullable(),
    hiddenFields: z.array(z.enum(fields)), fieldPrivacy: privacySchema.nullable(),
    canVerifyBiography: z.boolean(), canEndorse: z.boolean(),
  })
  .meta({ id: 'Profile' });

const endorsementSchema = z.object({ skill: z.string(), endorsements: z.number().int(), endorsedByViewer: z.boolean() }).meta({ id: 'Endorsement' });
const params = z.object({ id: z.string().max(100) });
const tagList = z.array(z.string().max(TAG_LENGTH_MAX)).max(TAGS_MAX);

export function peopleRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.get('/people/:id', {
    schema: { tags: ['people'], summary: "A person's profile as the viewer may see it", security, params, response: { 200: profileSchema, ...problems } },
  }, async (request) => getProfile(db, viewerOf(request), request.params.id));

  r.patch('/me/profile', {
    schema: {
      tags: ['people'], summary: 'Edit your declared skills, ask-me-about tags, languages, biography and field privacy', security,
      body: z.object({
        skills: tagList.optional(), askMeAbout: tagList.optional(), languages: tagList.optional(),
        biography: z.string().max(BIOGRAPHY_MAX).nullable().optional(), fieldPrivacy: privacySchema.optional(),
      }).strict(),
      response: { 200: profileSchema, ...problems },
    },
  }, async (request) => updateMyProfile(db, viewerOf(request), request.body));

  r.post('/people/:id/biography/verification', {
    schema: { tags: ['people'], summary: "Verify a person's biography (their manager or HR)", security, params, response: { 200: verificationSchema, ...problems, 409: problemSchema } },
  }, async (request) => verifyBiography(db, viewerOf(request), request.params.id));

  r.get('/people/:id/org-chart', {
    schema: {
      tags: ['people'], summary: "A person's manager chain and direct reports (paged)", security, params,
      querystring: z.object({ cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(200).optional() }),
      response: { 200: z.object({ person: summarySchema, managerChain: z.array(summarySchema), reports: z.object({ items: z.array(summarySchema), nextCursor: z.string().nullable() }) }).meta({ id: 'OrgChart' }), ...problems },
    },
  }, async (request) => getOrgChart(db, viewerOf(request), request.params.id, {
    ...(request.query.cursor ? { cursor: request.query.cursor } : {}), ...(request.query.limit ? { limit: request.query.limit } : {}),
  }));

  const skillParams = z.object({ id: z.string().max(100), skill: z.string().min(1).max(TAG_LENGTH_MAX) });
  r.post('/people/:id/skills/:skill/endorsement', {
    schema: { tags: ['people'], summary: "Endorse a colleague's skill (never your own)", security, params: skillParams, response: { 200: endorsementSchema, 201: endorsementSchema, ...problems } },
  }, async (request, reply) => {
    const { created, ...state } = await endorseSkill(db, viewerOf(request), request.params.id, request.params.skill);
    return reply.status(created ? 201 : 200).send(state);
  });
  r.delete('/people/:id/skills/:skill/endorsement', {
    schema: { tags: ['people'], summary: 'Withdraw your endorsement', security, params: skillParams, response: { 200: endorsementSchema, ...problems } },
  }, async (request) => withdrawEndorsement(db, viewerOf(request), request.params.id, request.params.skill));
}
