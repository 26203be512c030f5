"""The domain's words, errors, limits, settings and MQM weights: what every other
package builds on."""
