using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Punch.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Relay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "BytesDirectA",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "BytesDirectB",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "BytesRelayedA",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "BytesRelayedB",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "PathChangedAt",
                table: "Sessions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PathChanges",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "PunchFailureReason",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RelayBytes",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "RelayChannel",
                table: "Sessions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "BytesDirect",
                table: "Events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "BytesRelayed",
                table: "Events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RelayBytes",
                table: "Events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RelayChannel",
                table: "Events",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BytesDirectA",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "BytesDirectB",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "BytesRelayedA",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "BytesRelayedB",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "PathChangedAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "PathChanges",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "PunchFailureReason",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "RelayBytes",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "RelayChannel",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "BytesDirect",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "BytesRelayed",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "RelayBytes",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "RelayChannel",
                table: "Events");
        }
    }
}
