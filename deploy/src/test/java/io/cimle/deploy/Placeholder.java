package io.cimle.deploy;
class Placeholder {}
