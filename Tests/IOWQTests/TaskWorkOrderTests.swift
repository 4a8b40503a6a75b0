import Testing
@testable import IOWQ

/// task_work_add pushes at the head of the task's list and task_work_run takes the whole list and
/// runs it from the head (6.1.192 kernel/task_work.c:42-53 and :181-205; "The task_work list is
/// LIFO", task_work.c:36): the last queued runs first. What a callback queues runs after the list
/// it was taken with.
@Suite struct TaskWorkOrderTests {
    /// Records the order its callbacks run in: the argument is the callback's number.
    static let order = Recorder<[Int]>([])
    static let record: Callback = Callback("record") { argument in recordRun(argument) }

    static func recordRun(_ argument: UnsafeMutableRawPointer) {
        let number = Int(bitPattern: argument)
        order.update { $0.append(number) }
        // callback 1 queues callback 4 while the list it came in runs
        if number == 1, let task = queuingTask.current { _ = task.addTaskWork(record, UnsafeMutableRawPointer(bitPattern: 4)!) }
    }
    static let queuingTask = Recorder<SubmitterTask?>(nil)

    @Test func theLastQueuedRunsFirst() {
        let order: [Int] = SubmitterTask.run { task in
            Self.order.update { $0 = [] }
            Self.queuingTask.update { $0 = task }
            for number in 1...3 { _ = task.addTaskWork(Self.record, UnsafeMutableRawPointer(bitPattern: number)!) }
            task.runTaskWork()
            Self.queuingTask.update { $0 = nil }
            return Self.order.current
        }
        #expect(order == [3, 2, 1, 4])
    }

    /// task_work_cancel_match walks from the head too: of two matches it takes the one queued last.
    @Test func cancelTakesTheLastQueuedMatch() {
        let taken: Int? = SubmitterTask.run { task in
            for number in [5, 6] { _ = task.addTaskWork(Self.record, UnsafeMutableRawPointer(bitPattern: number)!) }
            let cancelled = task.cancelTaskWork { $0.callback === Self.record }
            _ = task.cancelTaskWork { _ in true }
            return cancelled.map { Int(bitPattern: $0.argument) }
        }
        #expect(taken == 6)
    }
}
