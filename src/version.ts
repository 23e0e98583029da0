// cmr's version, as package.json says (a unit test holds the two equal). It
// is written into serialized components: another version's are refused.
export const CMR_VERSION = '0.1.0';
