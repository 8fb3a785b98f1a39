package main

// importFormats are the formats `apidesk-cli import` reads, besides curl, in the order its help lists them.
var importFormats = []importFormat{}

// exportFormats are the formats `apidesk-cli export` writes a resource as, besides curl (which writes a query).
var exportFormats = []exportFormat{}
