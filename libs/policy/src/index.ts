export * from './model';
export * from './decide';
export { PolicyIndex, tlpRank, type PolicyIndexInput } from './policy-index';
export { applyFieldRules, combineFieldRules, isNoOp, NO_FIELD_RULES, remainingPersonalData, snapToGrid } from './field-rules';
export { eventPlaces, type EventPlaces } from './geo';
export { pointerCovers, pointerValues } from './pointer';
export { declaredRecipients, eventFacts, recipientCopy, takeUndeclaredRecipients } from './event-facts';
export { policyFacts, policyModel, type PolicyModel, type PolicyModelState } from './config-model';
export { compareOutcomes, type PartnerDifference } from './simulate';
