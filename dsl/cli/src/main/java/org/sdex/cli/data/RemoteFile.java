package org.sdex.cli.data;

/**
 * One file of a published data set: its name on the server, the name it is stored under in the
 * data root, its size in bytes and the MD5 checksum its publishers give.
 */
public record RemoteFile(String remoteName, String storedAs, long size, String md5) {}
