import { reshapedAnswers } from './answerReshaping'

// Kong's consumer group form reads answers in shapes Gatehouse does not give, and is given them:
// - GET consumer_groups/{id}: the form reads the group from a `consumer_group` (Konnect's documented
//   wrapper) or `item` (older Konnect) object and fails on a bare entity, which Gatehouse answers;
// - GET consumer_groups/{id}/consumers: the form reads the members as `consumers` (its own tests stub
//   that), while Konnect's API reference, which Gatehouse follows, answers a page under `data`. The
//   form asks for no size, so it sees the first page: 100 members.
const groupPath = /\/core-entities\/consumer_groups\/[^/]+$/
const membersPath = /\/core-entities\/consumer_groups\/[^/]+\/consumers$/

export const consumerGroupFormRequests = reshapedAnswers((body, path) => {
  if (groupPath.test(path) && !('consumer_group' in body)) return { consumer_group: body }
  if (membersPath.test(path) && Array.isArray(body.data)) return { ...body, consumers: body.data }
  return body
})
