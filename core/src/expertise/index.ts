export {
  findExperts, refreshExpertiseEvidence, recordSkillNames, expertiseEvidenceRefreshedAt, explain, renderReasons, EXPERTISE_WEIGHTS, EXPERT_QUERY_MAX, EXPERT_LIMIT_MAX,
  type ExpertSearchInput, type ExpertSearchResult, type ExpertHit, type ExpertReason, type ExpertiseEvidence, type ExpertRanking,
} from './expertise.js';
