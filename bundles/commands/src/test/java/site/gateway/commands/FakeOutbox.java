package site.gateway.commands;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;

/** Keeps appended messages in memory; the storage bundle's own tests cover durability. */
final class FakeOutbox implements Outbox {
    final List<JsonNode> appended = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong(1);

    @Override
    public long append(MessageType type, byte[] json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (!type.wireName().equals(node.path("type").asText())) {
                throw new IllegalArgumentException("type mismatch: " + type + " vs " + node);
            }
            appended.add(node);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return seq.getAndIncrement();
    }

    List<JsonNode> results() {
        return appended.stream().filter(n -> n.path("type").asText().equals("command.result")).toList();
    }

    JsonNode result(String commandId) {
        return results().stream().filter(n -> n.path("commandId").asText().equals(commandId)).findFirst().orElse(null);
    }

    @Override
    public List<OutboxEntry> read(long fromSeq, int maxItems) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void acknowledge(long upTo) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long lastAckedSeq() {
        return 0;
    }

    @Override
    public long nextSeq() {
        return seq.get();
    }

    @Override
    public List<SeqRange> droppedRanges() {
        return List.of();
    }

    @Override
    public OutboxStats stats() {
        throw new UnsupportedOperationException();
    }
}
