"""The partner-facing API: one blueprint per area, each route a thin shell over a domain function."""
