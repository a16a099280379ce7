import { reshapedAnswers } from './answerReshaping'

// Kong's consumer group form reads the group from GET consumer_groups/{id}?list_consumers=false, as
// the API answers it ({consumer_group}), and then its members from GET consumer_groups/{id}/consumers
// as `consumers` (its own tests stub that), while Konnect's API reference, which Gatehouse follows,
// answers a page under `data`: that one answer is given the form's shape. The form asks for no
// size, so it sees the first page: 100 members.
const membersPath = /\/core-entities\/consumer_groups\/[^/]+\/consumers$/

export const consumerGroupFormRequests = reshapedAnswers((body, path) =>
  membersPath.test(path) && Array.isArray(body.data) ? { ...body, consumers: body.data } : body)
