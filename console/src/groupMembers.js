import axios from 'axios'

// Kong's consumer group form reads answers in shapes Gatehouse does not give, and is given them:
// - GET consumer_groups/{id}: the form reads the group from a `consumer_group` (Konnect's documented
//   wrapper) or `item` (older Konnect) object and fails on a bare entity, which Gatehouse answers;
// - GET consumer_groups/{id}/consumers: the form reads the members as `consumers` (its own tests stub
//   that), while Konnect's API reference, which Gatehouse follows, answers a page under `data`. The
//   form asks for no size, so it sees the first page: 100 members.
// Only these two answers, and only in the form's requests, are reshaped.
const groupPath = /\/core-entities\/consumer_groups\/[^/]+$/
const membersPath = /\/core-entities\/consumer_groups\/[^/]+\/consumers$/

function reshapeForGroupForm(body) {
  if (this.method !== 'get' || !body || typeof body !== 'object') return body
  const path = new URL(this.url, window.location.origin).pathname
  if (groupPath.test(path) && !('consumer_group' in body)) return { consumer_group: body }
  if (membersPath.test(path) && Array.isArray(body.data)) return { ...body, consumers: body.data }
  return body
}

export const groupFormRequests = {
  transformResponse: [...axios.defaults.transformResponse, reshapeForGroupForm],
}
