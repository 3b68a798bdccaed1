//go:build !unix

package main

// ownerOnly: Windows gives new files the folder's permissions.
func ownerOnly() {}
